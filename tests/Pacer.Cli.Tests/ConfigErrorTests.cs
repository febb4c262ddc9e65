namespace Pacer.Cli.Tests;

/// <summary>
/// <c>pacer validate</c> and <c>pacer run --config</c> report every problem of a pacer.yaml at
/// once, each with its line and column, in the file's own key names with the value received.
/// </summary>
public sealed class ConfigErrorTests
{
    private static async Task<string[]> ValidateErrorsAsync(TempDir dir, string yaml)
    {
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, yaml);
        CliRun run = await CliRun.InvokeAsync(["validate", config]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        string prefix = config + ": ";
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.StartsWith(prefix, l, StringComparison.Ordinal));
        return [.. lines.Select(l => l[prefix.Length..])];
    }

    [Fact]
    public async Task ALaneKeyIndentedTooLittle_IsNamedAsSuch_NotAsACastError()
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, "lanes:\n  api:\n  rps: 5\n");

        Assert.Equal(["line 3, column 3: lane 'rps': a lane must be a map of settings such as 'rps: 20', got 5; if rps belongs to the lane above, indent it under that lane."], errors);
    }

    [Fact]
    public async Task ANegativeRate_IsNamedByItsKey_NotByTheEnginesField()
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, "lanes:\n  api:\n    rps: -5\n");

        Assert.Equal(["line 3, column 10: lane 'api': rps must be a number above 0, such as 20 or 0.5, got -5."], errors);
    }

    [Fact]
    public async Task RetriesThatAreNotANumber_NameTheKeyAndTheValue()
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, "lanes:\n  api:\n    retries: many\n");

        Assert.Equal(["line 3, column 14: lane 'api': retries must be a whole number from 0 to 65,534, got 'many'."], errors);
    }

    [Fact]
    public async Task TwoUnknownKeys_AreBothReported_EachWithTheKeyItMayMean()
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, "lanes:\n  api:\n    rsp: 5\n    brust: 3\n");

        Assert.Equal(
            [
                "line 3, column 5: lane 'api': unknown key 'rsp' (did you mean 'rps'?); a lane takes baseUrl, concurrency, rps, rpm, burst, tpm, quota, adaptive, margin, maxPause, retries, retry, timeout, headers, state, leaseTime, stateDown.",
                "line 4, column 5: lane 'api': unknown key 'brust' (did you mean 'burst'?); a lane takes baseUrl, concurrency, rps, rpm, burst, tpm, quota, adaptive, margin, maxPause, retries, retry, timeout, headers, state, leaseTime, stateDown.",
            ],
            errors);
    }

    [Fact]
    public async Task ABadTimeout_DoesNotHideANegativeRate()
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, "lanes:\n  api:\n    timeout: soon\n    rps: -5\n");

        Assert.Equal(
            [
                "line 3, column 14: lane 'api': timeout must be a positive duration such as 30s, 500ms or 2m, got 'soon'.",
                "line 4, column 10: lane 'api': rps must be a number above 0, such as 20 or 0.5, got -5.",
            ],
            errors);
    }

    [Fact]
    public async Task ProblemsInSeveralLanes_AreAllReported_InTheFilesOrder()
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, """
            lanes:
              b:
                concurrency: 0
                adaptive: yes
              a:
                tpm: lots
                retry:
                  statuses: [429, 200]
                  maxDelay: 1s
                  baseDelay: 5s
            """);

        Assert.Equal(
            [
                "line 3, column 18: lane 'b': concurrency must be a whole number from 1 up, got 0.",
                "line 4, column 15: lane 'b': adaptive must be true or false, got 'yes'.",
                "line 6, column 10: lane 'a': tpm must be a number above 0, such as 20 or 0.5, got 'lots'.",
                "line 8, column 23: lane 'a': retry.statuses must be HTTP error statuses from 400 to 599, got 200.",
                "line 9, column 17: lane 'a': retry.maxDelay must be at least retry.baseDelay (5s), got 1s.",
            ],
            errors);
    }

    [Theory]
    [InlineData("burst: -1\n    rps: 1", "line 3, column 12: lane 'api': burst must be a whole number from 0 up, got -1.")]
    [InlineData("burst: 5", "line 3, column 12: lane 'api': burst needs rps or rpm in the same lane: it is how many of that rate's requests may start at once.")]
    [InlineData("adaptive: true", "line 3, column 15: lane 'api': adaptive needs rps or rpm in the same lane: the rate it adapts.")]
    [InlineData("rps: 1\n    rpm: 60", "line 4, column 10: lane 'api': give rps or rpm, not both.")]
    [InlineData("margin: 2h", "line 3, column 13: lane 'api': margin must be at most 1h, got '2h'.")]
    [InlineData("margin: -1s", "line 3, column 13: lane 'api': margin must be a duration such as 20ms, or 0, got '-1s'.")]
    [InlineData("timeout: 0", "line 3, column 14: lane 'api': timeout must be a positive duration such as 30s, 500ms or 2m, got 0.")]
    [InlineData("concurrency: 99999999999", "line 3, column 18: lane 'api': concurrency must be at most 2,147,483,647, got 99999999999.")]
    [InlineData("concurrency: 2.5", "line 3, column 18: lane 'api': concurrency must be a whole number from 1 up, got 2.5.")]
    [InlineData("rps: 1e3", "line 3, column 10: lane 'api': rps must be a number above 0, such as 20 or 0.5, got '1e3'.")]
    [InlineData("rps: [5]", "line 3, column 10: lane 'api': rps must be a number above 0, such as 20 or 0.5, got a list.")]
    [InlineData("retries: 1\n    retry:\n      retries: 2", "line 5, column 16: lane 'api': give retries or retry.retries, not both.")]
    [InlineData("retry: 3", "line 3, column 12: lane 'api': retry must be a map with retries, statuses, baseDelay, maxDelay, got 3.")]
    [InlineData("headers: [a, b]", "line 3, column 14: lane 'api': headers must be a map of header names to values, got a list.")]
    [InlineData("headers:\n      X-A: {b: 1}", "line 4, column 12: lane 'api': header 'X-A' must be a text value, got a map.")]
    public async Task AValueOutOfPlace_IsOneMessage_NamingTheKeyAndTheValue(string lane, string expected)
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, $"lanes:\n  api:\n    {lane}\n");

        Assert.Equal([expected], errors);
    }

    [Theory]
    [InlineData("lanes:\n  api:\n\trps: 5\n", "line 3, column 1: a tab indents this line; YAML indents with spaces only.")]
    [InlineData("lanes:\n  api:\n    rps: 5\n   burst: 2\n", "line 4, column 4: this line is indented differently from the keys above it: the keys of one map start in the same column.")]
    [InlineData("lanes:\n  api:\n    rps: 5\n      burst: 2\n", "line 4, column 12: a ':' here would start a key inside a value: put each key on a line of its own, indented as the other keys of its map, and quote a value that holds ': '.")]
    [InlineData("lanes:\n  api:\n    baseUrl: \"https://x\n    rps: 5\n", "line 3, column 14: a value opened with '\"' is not closed on its line: is its closing quote missing?")]
    [InlineData("lanes:\n  api: *base\n", "line 2, column 8: alias '*base' names no anchor ('&base') above it.")]
    [InlineData("lanes:\n  api:\n    rps: 5\n---\nlanes: {}\n", "line 4, column 1: a second YAML document starts here (after '---'); a pacer.yaml is one document.")]
    public async Task AFileThatIsNotYaml_IsNamedAtItsPlace_InWordsAboutTheFile(string yaml, string expected)
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, yaml);

        Assert.Equal([expected], errors);
    }

    [Theory]
    [InlineData("", "line 1, column 1: no lanes; add a 'lanes:' map with at least one lane.")]
    [InlineData("lanes: {}\n", "line 1, column 1: no lanes; add a 'lanes:' map with at least one lane.")]
    [InlineData("lanes: [api]\n", "line 1, column 8: lanes must be a map of lanes by name, got a list.")]
    [InlineData("lane:\n  api:\n    rps: 5\n", "line 1, column 1: unknown key 'lane' in the file (did you mean 'lanes'?); the file takes lanes, server, state, stateDown.")]
    [InlineData("- api\n", "line 1, column 1: the file must be a map with 'lanes:', got a list.")]
    [InlineData("lanes:\n  \"a b\":\n    rps: 5\n", "line 2, column 3: lane name 'a b' must be segments of letters, digits and -_.: joined by '/', such as openai/gpt-4o.")]
    public async Task TheFilesShape_IsCheckedWithTheSameWords(string yaml, string expected)
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, yaml);

        Assert.Equal([expected], errors);
    }

    [Fact]
    public async Task YamlNestedThousandsDeep_IsRefusedWhereItPassesTheLimit()
    {
        using var dir = new TempDir();

        string[] errors = await ValidateErrorsAsync(dir, "lanes:\n  a:\n    rps: " + new string('[', 100_000) + new string(']', 100_000) + "\n");

        Assert.Equal(["line 3, column 71: the YAML nests more than 64 levels deep here; a pacer.yaml needs five (lanes, a lane, retry, statuses)."], errors);
    }

    [Fact]
    public async Task AValueSharedByManyLanes_ShowsItsFirstProblems_AndCountsTheRest()
    {
        using var dir = new TempDir();
        string yaml = "lanes:\n  a: &lane\n    rps: -1\n    burst: -1\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"  b{i}: *lane\n"));

        string[] errors = await ValidateErrorsAsync(dir, yaml);

        Assert.Equal(501, errors.Length);
        Assert.Equal("line 3, column 10: lane 'a': rps must be a number above 0, such as 20 or 0.5, got -1.", errors[0]);
        Assert.Equal("1,502 more problems not shown.", errors[^1]);
    }

    [Fact]
    public async Task RunWithConfig_PrintsTheSameMessages_Exits2_AndSendsNothing()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, $"lanes:\n  api:\n    baseUrl: {server.BaseUri}\n    rps: -5\n    concurrency: none\n");

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], Requests.Lines(["""{"lane":"api","url":"x"}"""]));
        CliRun validate = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"""
            {config}: line 4, column 10: lane 'api': rps must be a number above 0, such as 20 or 0.5, got -5.
            {config}: line 5, column 18: lane 'api': concurrency must be a whole number from 1 up, got 'none'.

            """,
            run.Error);
        Assert.Equal(validate.Error, run.Error);
        Assert.Equal(0, server.ConnectionCount);
    }
}
