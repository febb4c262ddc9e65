namespace Pacer.Server.Tests;

/// <summary>A server that cannot start says why, naming the option at fault, and exits 2.</summary>
public sealed class StartTests
{
    [Theory]
    [InlineData("--db", "not-a-database.db", "--db: 'not-a-database.db' cannot be used: SQLite Error 26")]
    [InlineData("--db", "missing/dir/pacer.db", "--db: 'missing/dir/pacer.db' cannot be used")]
    [InlineData("--config", "nope.yaml", "--config: 'nope.yaml' does not exist")]
    [InlineData("--urls", "ftp://127.0.0.1:21", "--urls: 'ftp://127.0.0.1:21' is not an address to listen on")]
    [InlineData("--retention", "forever", "--retention must be a duration")]
    [InlineData("--max-body", "lots", "--max-body must be a size")]
    public async Task WhatCannotBeUsed_IsNamed_AndTheServerDoesNotStart(string option, string value, string error)
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "pacer.yaml"), Lines.Lane("svc", new Uri("http://127.0.0.1:9/"), "    concurrency: 1"));
        File.WriteAllText(Path.Combine(folder.Path, "not-a-database.db"), "these are not the pages of a database, and never were");

        string[] args = option == "--urls" ? ["serve", option, value] : ["serve", "--urls", "http://127.0.0.1:0", option, value];

        (int exit, string stderr) = await ServerProcess.RunToExitAsync(folder.Path, null, args);

        Assert.Equal(2, exit);
        Assert.Contains(error, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
