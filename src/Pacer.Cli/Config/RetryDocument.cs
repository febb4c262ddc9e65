namespace Pacer.Cli.Config;

/// <summary>The YAML shape of a lane's <c>retry:</c> section in <c>pacer.yaml</c>.</summary>
public sealed class RetryDocument
{
    public int? Retries { get; set; }

    public List<int>? Statuses { get; set; }

    public string? BaseDelay { get; set; }

    public string? MaxDelay { get; set; }
}
