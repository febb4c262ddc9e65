using System.ComponentModel;

namespace Pacer;

/// <summary>Engine-wide settings. Validated and copied when the engine is built.</summary>
public sealed class PacerOptions
{
    /// <summary>Where the engine reads time and makes timers.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How long a waiting job takes to gain one priority level, so that nothing starves: a job of
    /// priority 0 that has waited 10 × PriorityAging goes before a fresh job of priority 9.
    /// </summary>
    /// <value>Default 10 seconds; positive.</value>
    public TimeSpan PriorityAging { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The retry policy of jobs whose options name none.</summary>
    /// <value>Default <see cref="RetryPolicy.Default"/>.</value>
    public RetryPolicy DefaultRetry { get; set; } = RetryPolicy.Default;

    /// <summary>Limits of the <c>default</c> lane, which jobs naming no lane travel in.</summary>
    /// <value>Default: no limits.</value>
    public LaneOptions DefaultLane { get; set; } = new();

    /// <summary>How many recent completions snapshots keep.</summary>
    /// <value>Default 20; between 0 and 10,000.</value>
    public int RecentCompletions { get; set; } = 20;

    /// <summary>
    /// The last stretch before a rate-limited start that the engine waits for by spinning instead
    /// of on a timer, because system timers fire up to a millisecond late and a start that is late
    /// is throughput lost for good. Zero turns spinning off.
    /// </summary>
    /// <value>Default 1 ms with <see cref="TimeProvider.System"/>, zero with any other provider.</value>
    public TimeSpan? SpinWait { get; set; }

    /// <summary>Makes the engine's meter (named <c>Pacer</c>), so that a host's metrics pipeline (or a test) gets this engine's instruments.</summary>
    /// <value>Default <see langword="null"/>: the engine makes its own meter.</value>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>Draws jitter for retry delays; a test sets it to make jitter repeatable.</summary>
    /// <value>Default <see cref="Random.Shared"/>.</value>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Random? Random { get; set; }

    internal PacerOptions ValidatedCopy()
    {
        var errors = new OptionsErrors("PacerOptions: ");
        if (TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null.");
        }

        if (PriorityAging <= TimeSpan.Zero)
        {
            errors.Add($"PriorityAging must be positive, got {PriorityAging}.");
        }

        if (DefaultRetry is null)
        {
            errors.Add("DefaultRetry must not be null.");
        }
        else
        {
            DefaultRetry.Validate(errors, "DefaultRetry.");
        }

        if (RecentCompletions is < 0 or > 10_000)
        {
            errors.Add($"RecentCompletions must be between 0 and 10000, got {RecentCompletions}.");
        }

        if (SpinWait is { } spin && (spin < TimeSpan.Zero || spin > TimeSpan.FromMilliseconds(50)))
        {
            errors.Add($"SpinWait must be between 0 and 50 ms, got {spin}.");
        }

        if (DefaultLane is null)
        {
            errors.Add("DefaultLane must not be null.");
        }

        errors.ThrowIfAny();
        return new PacerOptions
        {
            TimeProvider = TimeProvider!,
            PriorityAging = PriorityAging,
            DefaultRetry = DefaultRetry!,
            DefaultLane = DefaultLane!,
            RecentCompletions = RecentCompletions,
            SpinWait = SpinWait ?? (ReferenceEquals(TimeProvider, TimeProvider.System) ? TimeSpan.FromMilliseconds(1) : TimeSpan.Zero),
            Random = Random ?? Random.Shared,
            MeterFactory = MeterFactory,
        };
    }
}
