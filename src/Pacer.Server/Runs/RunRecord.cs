namespace Pacer.Server.Runs;

/// <summary>A run as stored: a batch of jobs submitted together.</summary>
internal sealed record RunRecord
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>Added to every job's own priority.</summary>
    public int Priority { get; init; }

    /// <summary>The most of its jobs sent at once, or null for no cap of its own.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>The processing mode it runs in: sequential or parallel.</summary>
    public string Mode { get; init; } = ProcessingModes.Parallel;

    /// <summary>How many jobs it holds.</summary>
    public required long Jobs { get; init; }

    /// <summary>The store sequence number of its first job: job <c>index</c> is sequence − this.</summary>
    public required long FirstSequence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public bool Cancelled { get; init; }

    public long Index(long sequence) => sequence - FirstSequence;

    public long Sequence(long index) => FirstSequence + index;
}
