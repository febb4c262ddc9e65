namespace Pacer.Server.Runs;

/// <summary>One job of a run that just ended, as the run's metrics list it.</summary>
/// <param name="What">The line's own <c>id</c> when it has one, else its index.</param>
/// <param name="Lane">Its lane.</param>
/// <param name="Status">succeeded, failed or cancelled.</param>
/// <param name="Milliseconds">How long it took from its first attempt.</param>
/// <param name="At">When it ended.</param>
internal sealed record RecentCompletion(string What, string Lane, string Status, long Milliseconds, DateTimeOffset At)
{
    /// <summary>What a job is called: its line's <c>id</c> (a string without its quotes, anything else as written), else its index.</summary>
    public static string Name(string? idJson, long index)
    {
        if (idJson is null or "null")
        {
            return index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var id = System.Text.Json.JsonDocument.Parse(idJson);
        return id.RootElement.ValueKind == System.Text.Json.JsonValueKind.String ? id.RootElement.GetString()! : idJson;
    }
}
