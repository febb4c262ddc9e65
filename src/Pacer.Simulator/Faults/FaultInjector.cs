namespace Pacer.Simulator;

/// <summary>Draws the fault of each accepted request from the configured ratios.</summary>
internal sealed class FaultInjector(FaultOptions options, SeededRandom random)
{
    public FaultOptions Options => options;

    public FaultKind Draw()
    {
        if (options.ServerErrorRatio + options.UnavailableRatio + options.DropRatio + options.SlowRatio <= 0)
        {
            return FaultKind.None;
        }

        // One draw against the cumulative ratios, so each ratio is exactly its share.
        double draw = random.NextDouble();
        double edge = options.ServerErrorRatio;
        if (draw < edge)
        {
            return FaultKind.ServerError;
        }

        edge += options.UnavailableRatio;
        if (draw < edge)
        {
            return FaultKind.Unavailable;
        }

        edge += options.DropRatio;
        if (draw < edge)
        {
            return FaultKind.Drop;
        }

        edge += options.SlowRatio;
        return draw < edge ? FaultKind.Slow : FaultKind.None;
    }
}
