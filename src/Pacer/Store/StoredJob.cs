namespace Pacer;

/// <summary>A job as a store keeps it: the submission, its state, its lease and its outcome.</summary>
public sealed record StoredJob
{
    /// <summary>The store's id for the job.</summary>
    public required string Id { get; init; }

    /// <summary>Order of addition within the store; ties in priority are claimed in this order.</summary>
    public required long Sequence { get; init; }

    /// <summary>What was submitted.</summary>
    public required JobSubmission Submission { get; init; }

    /// <summary>Where the job stands.</summary>
    public required StoredJobState State { get; init; }

    /// <summary>Attempts recorded so far.</summary>
    public int Attempts { get; init; }

    /// <summary>The worker holding the lease, while claimed.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the lease runs out; after that another worker may claim the job.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>The result of a succeeded job.</summary>
    public string? Result { get; init; }

    /// <summary>The error of a failed or cancelled job.</summary>
    public string? Error { get; init; }

    /// <summary>When the job was added.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the job became final.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Whether the job is final.</summary>
    public bool IsFinal => State >= StoredJobState.Succeeded;
}
