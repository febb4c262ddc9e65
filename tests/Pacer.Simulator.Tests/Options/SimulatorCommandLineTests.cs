namespace Pacer.Simulator.Tests.Options;

public class SimulatorCommandLineTests
{
    [Fact]
    public void NoArguments_ListenOnTheDefaultPortWithoutLimits()
    {
        var result = SimulatorCommandLine.Parse([]);

        Assert.False(result.ShowHelp);
        Assert.Equal(5080, result.Options.Port);
        Assert.Null(result.Options.Limits.Default.RequestsPerMinute);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_AsksForUsage(string flag) =>
        Assert.True(SimulatorCommandLine.Parse(["--port", "1", flag]).ShowHelp);

    [Fact]
    public void ReadsEveryKindOfOption()
    {
        var result = SimulatorCommandLine.Parse(
        [
            "--port=0", "--seed", "7", "--rpm", "60", "--rps", "5", "--tpm", "90000", "--concurrency", "4",
            "--rule", "key=k1,route=chat,rpm=10,tpm=500,concurrency=2", "--rule", "route=listing,rps=3",
            "--latency", "50ms", "--jitter", "1m30.5s", "--distribution", "lognormal", "--sigma", "0.25",
            "--error-ratio", "0.01", "--unavailable-ratio", "0.02", "--unavailable-retry-after", "3s",
            "--drop-ratio", "0.03", "--slow-ratio", "0.04", "--slow-delay", "2s",
            "--projects", "2", "--suites", "4", "--min-cases", "10", "--max-cases", "20", "--max-page-size", "50",
        ]);

        var o = result.Options;
        Assert.Equal(0, o.Port);
        Assert.Equal(7, o.Seed);
        Assert.Equal((60, 5, 90000, 4), (o.Limits.Default.RequestsPerMinute, o.Limits.Default.RequestsPerSecond, o.Limits.Default.TokensPerMinute, o.Limits.Default.MaxConcurrency));
        Assert.Equal(2, o.Limits.Rules.Count);
        Assert.Equal(("k1", SimulatorRoute.Chat, 10, 500, 2), (o.Limits.Rules[0].ApiKey, o.Limits.Rules[0].Route, o.Limits.Rules[0].Limits.RequestsPerMinute, o.Limits.Rules[0].Limits.TokensPerMinute, o.Limits.Rules[0].Limits.MaxConcurrency));
        Assert.Equal((null, SimulatorRoute.Listing, 3), (o.Limits.Rules[1].ApiKey, o.Limits.Rules[1].Route, o.Limits.Rules[1].Limits.RequestsPerSecond));
        Assert.Equal(TimeSpan.FromMilliseconds(50), o.Latency.Base);
        Assert.Equal(TimeSpan.FromSeconds(90.5), o.Latency.Jitter);
        Assert.Equal(LatencyDistribution.LogNormal, o.Latency.Distribution);
        Assert.Equal(0.25, o.Latency.Sigma);
        Assert.Equal((0.01, 0.02, 0.03, 0.04), (o.Faults.ServerErrorRatio, o.Faults.UnavailableRatio, o.Faults.DropRatio, o.Faults.SlowRatio));
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)), (o.Faults.UnavailableRetryAfter, o.Faults.SlowDelay));
        Assert.Equal((2, 4, 10, 20, 50), (o.Listing.Projects, o.Listing.SuitesPerProject, o.Listing.MinCasesPerSuite, o.Listing.MaxCasesPerSuite, o.Listing.MaxPageSize));
        o.ValidatedCopy();
    }

    [Theory]
    [InlineData(new[] { "--bogus", "1" }, "Unknown option '--bogus'. See --help.")]
    [InlineData(new[] { "--rpm" }, "--rpm needs a value. See --help.")]
    [InlineData(new[] { "--rpm", "many" }, "--rpm must be an integer, got 'many'.")]
    [InlineData(new[] { "--latency", "soon" }, "--latency must be a duration such as 250ms, 2s or 1m30s, got 'soon'.")]
    [InlineData(new[] { "--distribution", "normal" }, "--distribution must be uniform or lognormal, got 'normal'.")]
    [InlineData(new[] { "--rule", "route=files" }, "--rule route must be one of chat, messages, listing, echo, got 'files'.")]
    [InlineData(new[] { "--rule", "key=a,burst=3" }, "--rule 'key=a,burst=3': unknown part 'burst'; use key, route, rpm, rps, tpm or concurrency.")]
    [InlineData(new[] { "5080" }, "Unexpected argument '5080'; options start with --. See --help.")]
    public void Mistakes_AreNamed(string[] args, string message)
    {
        var error = Assert.Throws<FormatException>(() => SimulatorCommandLine.Parse(args));

        Assert.Equal(message, error.Message);
    }
}
