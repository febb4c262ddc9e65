using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pacer.Bench.Measurements;

/// <summary>
/// One run's result, written as one JSON line with the field names of WORKLOADS.md. A field that
/// does not apply to a workload stays null and is left out.
/// </summary>
internal sealed record BenchResult
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    [JsonPropertyName("workload")]
    public required string Workload { get; init; }

    [JsonPropertyName("lib")]
    public required string Lib { get; init; }

    [JsonPropertyName("library")]
    public required string Library { get; init; }

    [JsonPropertyName("version")]
    public required string Version { get; init; }

    [JsonPropertyName("jobs")]
    public required int Jobs { get; init; }

    [JsonPropertyName("concurrency")]
    public required int Concurrency { get; init; }

    /// <summary>Extra field: the start rate the workload asks for, when it has one.</summary>
    [JsonPropertyName("rate_per_s")]
    public int? RatePerSecond { get; init; }

    /// <summary>Extra field: a non-default <see cref="PacerOptions.SpinWait"/>, when one was given.</summary>
    [JsonPropertyName("pacer_spin_ms")]
    public double? PacerSpinMs { get; init; }

    [JsonPropertyName("jobs_per_s")]
    public double? JobsPerSecond { get; init; }

    [JsonPropertyName("makespan_s")]
    public double? MakespanSeconds { get; init; }

    [JsonPropertyName("bound_s")]
    public double? BoundSeconds { get; init; }

    [JsonPropertyName("efficiency")]
    public double? Efficiency { get; init; }

    /// <summary>Extra field (W2): the mean time the body's own timer took, in ms.</summary>
    [JsonPropertyName("body_mean_ms")]
    public double? BodyMeanMs { get; init; }

    /// <summary>Extra field (W2): efficiency against the bodies' real duration rather than the nominal one.</summary>
    [JsonPropertyName("efficiency_vs_body")]
    public double? EfficiencyVsBody { get; init; }

    [JsonPropertyName("max_starts_1000ms")]
    public int? MaxStarts1000Ms { get; init; }

    [JsonPropertyName("max_starts_100ms")]
    public int? MaxStarts100Ms { get; init; }

    [JsonPropertyName("bytes_per_job_rss")]
    public double? BytesPerJobRss { get; init; }

    [JsonPropertyName("bytes_per_job_heap")]
    public double? BytesPerJobHeap { get; init; }

    [JsonPropertyName("enqueue_s")]
    public double? EnqueueSeconds { get; init; }

    [JsonPropertyName("drain_s")]
    public double? DrainSeconds { get; init; }

    [JsonPropertyName("peak_rss_mb")]
    public double? PeakRssMb { get; init; }

    /// <summary>Extra fields: garbage collections of each generation during the measured run (W1).</summary>
    [JsonPropertyName("gc_gen0")]
    public int? GcGen0 { get; init; }

    [JsonPropertyName("gc_gen1")]
    public int? GcGen1 { get; init; }

    [JsonPropertyName("gc_gen2")]
    public int? GcGen2 { get; init; }

    public string ToJsonLine() => JsonSerializer.Serialize(Rounded(), s_json);

    private BenchResult Rounded() => this with
    {
        JobsPerSecond = Round(JobsPerSecond, 0),
        MakespanSeconds = Round(MakespanSeconds, 4),
        BoundSeconds = Round(BoundSeconds, 4),
        Efficiency = Round(Efficiency, 4),
        BodyMeanMs = Round(BodyMeanMs, 3),
        EfficiencyVsBody = Round(EfficiencyVsBody, 4),
        BytesPerJobRss = Round(BytesPerJobRss, 1),
        BytesPerJobHeap = Round(BytesPerJobHeap, 1),
        EnqueueSeconds = Round(EnqueueSeconds, 4),
        DrainSeconds = Round(DrainSeconds, 4),
        PeakRssMb = Round(PeakRssMb, 1),
    };

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
