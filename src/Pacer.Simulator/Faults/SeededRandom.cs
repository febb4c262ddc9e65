namespace Pacer.Simulator;

/// <summary>A seeded, thread-safe source of random numbers: the same seed gives the same sequence.</summary>
internal sealed class SeededRandom(int seed)
{
    private readonly Lock _lock = new();

    // Simulation, not security: a seeded generator is the point.
#pragma warning disable CA5394
    private readonly Random _random = new(seed);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble()
    {
        lock (_lock)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>Standard normal, by the Box–Muller transform.</summary>
    public double NextGaussian()
    {
        double u1, u2;
        lock (_lock)
        {
            u1 = 1.0 - _random.NextDouble();
            u2 = _random.NextDouble();
        }

        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
#pragma warning restore CA5394
}
