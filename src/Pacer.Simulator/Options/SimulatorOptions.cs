namespace Pacer.Simulator;

/// <summary>
/// How the simulator behaves: where it listens, its hidden limits, latency, faults and listing sizes.
/// Validated by <see cref="SimulatorHost.StartAsync(SimulatorOptions, CancellationToken)"/> and then
/// copied, so later changes to this object do nothing.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>The TCP port on 127.0.0.1 to listen on.</summary>
    /// <value>Default 0: a free port chosen by the system (see <see cref="SimulatorHost.BaseAddress"/>). From 0 to 65,535.</value>
    public int Port { get; set; }

    /// <summary>The seed of latency, faults and the listing's content.</summary>
    /// <value>Default 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>The hidden limits per API key and route.</summary>
    /// <value>Default: no limits.</value>
    public SimulatorLimits Limits { get; set; } = new();

    /// <summary>How long accepted requests take.</summary>
    /// <value>Default: no latency.</value>
    public LatencyOptions Latency { get; set; } = new();

    /// <summary>Faults injected into accepted requests.</summary>
    /// <value>Default: none.</value>
    public FaultOptions Faults { get; set; } = new();

    /// <summary>Sizes of the paginated listing.</summary>
    /// <value>Default: 3 projects of 10 suites with up to 1,000 cases each, pages of up to 250.</value>
    public ListingOptions Listing { get; set; } = new();

    /// <summary>Checks every field and returns a private copy; throws one exception naming every problem.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names each field and value.</exception>
    internal SimulatorOptions ValidatedCopy()
    {
        var errors = new OptionsErrors();
        if (Port is < 0 or > 65_535)
        {
            errors.Add($"Port must be from 0 to 65535, got {Port}.");
        }

        ValidatePart(errors, Limits, nameof(Limits), (o, e, f) => o.Validate(e, f));
        ValidatePart(errors, Latency, nameof(Latency), (o, e, f) => o.Validate(e, f));
        ValidatePart(errors, Faults, nameof(Faults), (o, e, f) => o.Validate(e, f));
        ValidatePart(errors, Listing, nameof(Listing), (o, e, f) => o.Validate(e, f));
        errors.ThrowIfAny();
        return new SimulatorOptions
        {
            Port = Port,
            Seed = Seed,
            Limits = Limits.Clone(),
            Latency = Latency.Clone(),
            Faults = Faults.Clone(),
            Listing = Listing.Clone(),
        };
    }

    private static void ValidatePart<T>(OptionsErrors errors, T? part, string name, Action<T, OptionsErrors, string> validate)
        where T : class
    {
        if (part is null)
        {
            errors.Add($"{name} must not be null.");
            return;
        }

        validate(part, errors, name + ".");
    }
}
