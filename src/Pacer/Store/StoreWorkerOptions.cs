namespace Pacer;

/// <summary>How a <see cref="StoreWorker"/> claims and runs stored jobs.</summary>
public sealed class StoreWorkerOptions
{
    /// <summary>The worker's id in the store's leases.</summary>
    /// <value>Default: machine name, process id and a random suffix.</value>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..^24];

    /// <summary>How long a claim holds; the worker renews it every third of that while the job runs.</summary>
    /// <value>Default 30 seconds; at least 1 second.</value>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most claimed jobs held at once (queued in lanes or running).</summary>
    /// <value>Default 256; at least 1.</value>
    public int MaxInFlight { get; set; } = 256;

    /// <summary>How long to wait before asking the store again when it had nothing to claim.</summary>
    /// <value>Default 250 ms; positive.</value>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Retry policy of the jobs run.</summary>
    /// <value>Default <see langword="null"/>: the engine's default.</value>
    public RetryPolicy? Retry { get; set; }

    /// <summary>Timeout of each attempt.</summary>
    /// <value>Default <see langword="null"/>: none.</value>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Told each failure of the store (a claim, renewal or write that threw): the worker goes on,
    /// trying again after 50 ms, doubling up to 2 s. Called on the worker's own thread; keep it short.
    /// </summary>
    /// <value>Default <see langword="null"/>: failures are retried silently.</value>
    public Action<Exception>? OnStoreError { get; set; }

    /// <summary>Where a worker without an engine takes its time from (lease renewals, waits); a worker with an engine uses the engine's.</summary>
    /// <value>Default <see langword="null"/>: <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    internal void Validate()
    {
        var errors = new OptionsErrors("StoreWorkerOptions: ");
        if (string.IsNullOrEmpty(WorkerId))
        {
            errors.Add("WorkerId must not be empty.");
        }

        if (Lease < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Lease must be at least 1 second, got {Lease}.");
        }

        if (MaxInFlight < 1)
        {
            errors.Add($"MaxInFlight must be at least 1, got {MaxInFlight}.");
        }

        if (IdleDelay <= TimeSpan.Zero)
        {
            errors.Add($"IdleDelay must be positive, got {IdleDelay}.");
        }

        errors.ThrowIfAny();
    }
}
