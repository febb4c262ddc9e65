using System.CommandLine;
using System.CommandLine.Help;
using System.Text.Json;

namespace Pacer.Simulator.Tests.CommandLine;

public class SimulatorCommandLineTests
{
    private static readonly string[] s_flags =
    [
        "--port", "--seed", "--rpm", "--rps", "--tpm", "--concurrency", "--rule",
        "--latency", "--jitter", "--distribution", "--sigma",
        "--error-ratio", "--unavailable-ratio", "--unavailable-retry-after", "--drop-ratio", "--slow-ratio", "--slow-delay",
        "--projects", "--suites", "--min-cases", "--max-cases", "--max-page-size",
    ];

    [Fact]
    public void NoArguments_ListenOnTheDefaultPortWithTheOptionsDefaults()
    {
        var options = Read();

        Assert.Equal(5080, options.Port);
        Assert.Equal(JsonSerializer.Serialize(new SimulatorOptions { Port = 5080 }), JsonSerializer.Serialize(options));
    }

    [Fact]
    public void Help_ListsEveryFlagWithADescription()
    {
        var (root, _) = Create();
        using var output = new StringWriter();

        int code = root.Parse(["--port", "1", "--help"]).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, code);
        var flags = root.Options.Where(o => o is not HelpOption and not VersionOption).ToList();
        Assert.Equal(s_flags, flags.Select(o => o.Name));
        Assert.All(flags, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), o.Name));
        Assert.All(s_flags, f => Assert.Contains(f + " ", output.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_AsksForUsage(string flag)
    {
        var (root, _) = Create();

        Assert.IsType<HelpAction>(root.Parse(["--port", "1", flag]).Action);
    }

    [Fact]
    public void ReadsEveryKindOfOption()
    {
        var o = Read(
            "--port=0", "--seed", "7", "--rpm", "60", "--rps", "5", "--tpm", "90000", "--concurrency", "4",
            "--rule", "key=k1,route=chat,rpm=10,tpm=500,concurrency=2", "--rule", "route=listing,rps=3",
            "--latency", "50ms", "--jitter", "1m30.5s", "--distribution", "lognormal", "--sigma", "0.25",
            "--error-ratio", "0.01", "--unavailable-ratio", "0.02", "--unavailable-retry-after", "3s",
            "--drop-ratio", "0.03", "--slow-ratio", "0.04", "--slow-delay", "2s",
            "--projects", "2", "--suites", "4", "--min-cases", "10", "--max-cases", "20", "--max-page-size", "50");

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
    [InlineData("0", 0)]
    [InlineData("250ms", 2_500_000)]
    [InlineData("1m30s", 900_000_000)]
    [InlineData("1h", 36_000_000_000)]
    [InlineData("1500us", 15_000)]
    public void Durations_AreTheSimulatorsFormat(string text, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), Read("--slow-delay", text).Faults.SlowDelay);

    [Theory]
    [InlineData(new[] { "--bogus", "1" }, "Unrecognized command or argument '--bogus'.")]
    [InlineData(new[] { "--rpm" }, "Required argument missing for option: '--rpm'.")]
    [InlineData(new[] { "--rule" }, "Required argument missing for option: '--rule'.")]
    [InlineData(new[] { "--rpm", "many" }, "--rpm must be an integer, got 'many'.")]
    [InlineData(new[] { "--port", "http" }, "--port must be an integer, got 'http'.")]
    [InlineData(new[] { "--sigma", "wide" }, "--sigma must be a number, got 'wide'.")]
    [InlineData(new[] { "--error-ratio", "1%" }, "--error-ratio must be a number, got '1%'.")]
    [InlineData(new[] { "--latency", "soon" }, "--latency must be a duration such as 250ms, 2s or 1m30s, got 'soon'.")]
    [InlineData(new[] { "--slow-delay", "5" }, "--slow-delay must be a duration such as 250ms, 2s or 1m30s, got '5' (a number needs a unit: 5s, 5ms or 5m).")]
    [InlineData(new[] { "--distribution", "normal" }, "--distribution must be uniform or lognormal, got 'normal'.")]
    [InlineData(new[] { "--rule", "route=files" }, "--rule route must be one of chat, messages, listing, echo, got 'files'.")]
    [InlineData(new[] { "--rule", "key=a,route=nope" }, "--rule route must be one of chat, messages, listing, echo, got 'nope'.")]
    [InlineData(new[] { "--rule", "key=a,rpm=lots" }, "--rule rpm must be an integer, got 'lots'.")]
    [InlineData(new[] { "--rule", "key=a,chat" }, "--rule 'key=a,chat': 'chat' must be name=value.")]
    [InlineData(new[] { "--rule", "key=a,burst=3" }, "--rule 'key=a,burst=3': unknown part 'burst'; use key, route, rpm, rps, tpm or concurrency.")]
    [InlineData(new[] { "5080" }, "Unrecognized command or argument '5080'.")]
    public void Mistakes_AreNamed(string[] args, string message)
    {
        var (root, _) = Create();

        Assert.Contains(message, root.Parse(args).Errors.Select(e => e.Message));
    }

    [Fact]
    public void ValuesOutOfRange_AreLeftToTheOptionsValidation()
    {
        var options = Read("--error-ratio", "2", "--projects", "0");

        var error = Assert.Throws<ArgumentException>(options.ValidatedCopy);
        Assert.Contains("Faults.ServerErrorRatio must be from 0 to 1, got 2.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Listing.Projects must be from 1 to 10,000, got 0.", error.Message, StringComparison.Ordinal);
    }

    private static (RootCommand Root, SimulatorCommandLine CommandLine) Create()
    {
        var commandLine = new SimulatorCommandLine();
        var root = new RootCommand();
        commandLine.AddTo(root);
        return (root, commandLine);
    }

    private static SimulatorOptions Read(params string[] args)
    {
        var (root, commandLine) = Create();
        ParseResult parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        return commandLine.GetOptions(parse);
    }
}
