using Pacer.Cli.Config;

namespace Pacer.Cli.Run;

/// <summary>Everything <c>pacer run</c> was told on its command line.</summary>
internal sealed record RunSettings
{
    /// <summary>How long a whole answer, headers and body, may take when neither <c>--timeout</c> nor the lane's <c>timeout</c> says.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The largest response body kept when <c>--max-body</c> does not say.</summary>
    public const long DefaultMaxBody = 8L << 20;

    public required string Input { get; init; }

    /// <summary>The command line after <c>pacer</c>, as given: what an interrupted run tells the user to run again with <c>--resume</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public string? Out { get; init; }

    public string? Url { get; init; }

    public string Method { get; init; } = "POST";

    /// <summary>How the input's records become request lines (<c>--input-format</c>, a template <c>--url</c> and <c>--body</c>).</summary>
    public InputShape Shape { get; init; } = InputShape.JsonLines;

    /// <summary>Whether each result carries its request (<c>--echo-request</c>).</summary>
    public bool EchoRequest { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public bool Unordered { get; init; }

    public int Window { get; init; } = 1000;

    public int? Concurrency { get; init; }

    public long? Rps { get; init; }

    public long? Rpm { get; init; }

    public long Burst { get; init; } = 1;

    public long? Tpm { get; init; }

    public bool Adaptive { get; init; }

    public TimeSpan Margin { get; init; } = LaneLimits.DefaultMargin;

    /// <summary>The longest a service's hints pause the flag lane (<c>--max-pause</c>).</summary>
    public TimeSpan MaxPause { get; init; } = LaneLimits.DefaultMaxPause;

    public LaneRetry Retry { get; init; } = LaneRetry.Default;

    /// <summary>The flag lane's timeout of one attempt's whole answer; null for <see cref="DefaultTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The largest response body kept, in bytes; a longer one fails its request.</summary>
    public long MaxBody { get; init; } = DefaultMaxBody;

    public bool Strict { get; init; }

    /// <summary>Read and check everything, say what a run would do, and send nothing (<c>--dry-run</c>).</summary>
    public bool DryRun { get; init; }

    public bool FailFast { get; init; }

    public bool Resume { get; init; }

    /// <summary>Whether an <see cref="Out"/> file that already holds results may be replaced.</summary>
    public bool Overwrite { get; init; }

    public string Progress { get; init; } = "auto";

    /// <summary>A <c>pacer.yaml</c> with the lanes; when set, the limit flags are not used.</summary>
    public string? Config { get; init; }

    /// <summary>Lanes given in code (the demo); when set, <see cref="Config"/> and the limit flags are not used.</summary>
    public IReadOnlyList<LaneConfig>? Lanes { get; init; }

    /// <summary>Input lines given in code (the demo); when set, <see cref="Input"/> is not read.</summary>
    public IReadOnlyList<string>? Lines { get; init; }

    /// <summary>The one lane the limit flags describe, named <c>default</c>.</summary>
    public LaneConfig FlagLane() => new LaneConfig(
        PacerEngine.DefaultLaneName,
        null,
        LaneLimits.Build(Concurrency ?? LaneLimits.DefaultConcurrency, Rps, Rpm, Burst, Tpm, Adaptive, Margin, MaxPause),
        [],
        Retry,
        Timeout)
    {
        ConcurrencyIsDefault = Concurrency is null,
    };
}
