namespace Pacer.Cli.Config;

/// <summary>The YAML shape of one lane in <c>pacer.yaml</c>.</summary>
public sealed class LaneDocument
{
    public string? BaseUrl { get; set; }

    public int? Concurrency { get; set; }

    public long? Rps { get; set; }

    public long? Rpm { get; set; }

    public long? Burst { get; set; }

    public long? Tpm { get; set; }

    public bool? Adaptive { get; set; }

    public string? Margin { get; set; }

    public int? Retries { get; set; }

    public RetryDocument? Retry { get; set; }

    public string? Timeout { get; set; }

    public Dictionary<string, string>? Headers { get; set; }
}
