namespace Pacer.Simulator.Tests.Options;

public class SimulatorOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var copy = new SimulatorOptions().ValidatedCopy();

        Assert.Equal(0, copy.Port);
        Assert.Null(copy.Limits.Default.RequestsPerMinute);
    }

    [Fact]
    public void Limit_BelowOne_NamesTheFieldAndTheValue()
    {
        var options = new SimulatorOptions { Limits = { Default = { RequestsPerMinute = 0 } } };

        var error = Assert.Throws<ArgumentException>(options.ValidatedCopy);

        Assert.Equal("Limits.Default.RequestsPerMinute must be at least 1, got 0.", error.Message);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var options = new SimulatorOptions
        {
            Port = -1,
            Limits =
            {
                Default = { MaxConcurrency = 0 },
                Rules =
                {
                    new LimitRule { ApiKey = "k", Limits = { TokensPerMinute = -5 } },
                    new LimitRule { ApiKey = "k" },
                    new LimitRule(),
                },
            },
            Latency = { Base = TimeSpan.FromSeconds(-1), Sigma = 0 },
            Faults = { DropRatio = 0.7, SlowRatio = 0.6 },
            Listing = { MinCasesPerSuite = 10, MaxCasesPerSuite = 5, MaxPageSize = 0 },
        };

        var error = Assert.Throws<ArgumentException>(options.ValidatedCopy);

        Assert.Equal(
            string.Join(
                Environment.NewLine,
                "Port must be from 0 to 65535, got -1.",
                "Limits.Default.MaxConcurrency must be at least 1, got 0.",
                "Limits.Rules[0].Limits.TokensPerMinute must be at least 1, got -5.",
                "Limits.Rules[1] duplicates Limits.Rules[0] (ApiKey 'k', Route any).",
                "Limits.Rules[2] must set ApiKey or Route; use Default for limits that apply everywhere.",
                "Latency.Base must be from 0 to 01:00:00, got -00:00:01.",
                "Latency.Sigma must be greater than 0 and at most 4, got 0.",
                "Faults.ServerErrorRatio + UnavailableRatio + DropRatio + SlowRatio must be at most 1, got 1.2999999999999998.",
                "Listing.MaxPageSize must be from 1 to 10,000, got 0.",
                "Listing.MaxCasesPerSuite must be at least MinCasesPerSuite (10), got 5."),
            error.Message);
    }

    [Fact]
    public void ValidatedCopy_IsNotChangedByLaterEdits()
    {
        var options = new SimulatorOptions { Limits = { Default = { RequestsPerMinute = 5 } } };

        var copy = options.ValidatedCopy();
        options.Limits.Default.RequestsPerMinute = 50;

        Assert.Equal(5, copy.Limits.Default.RequestsPerMinute);
    }

    [Fact]
    public void NullPart_IsNamed()
    {
        var options = new SimulatorOptions { Faults = null! };

        var error = Assert.Throws<ArgumentException>(options.ValidatedCopy);

        Assert.Equal("Faults must not be null.", error.Message);
    }
}
