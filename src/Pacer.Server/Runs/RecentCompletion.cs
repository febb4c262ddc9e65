namespace Pacer.Server.Runs;

/// <summary>One job of a run that just ended, as the run's metrics list it.</summary>
/// <param name="What">The line's own <c>id</c> when it has one, else its index.</param>
/// <param name="Lane">Its lane.</param>
/// <param name="Status">succeeded, failed or cancelled.</param>
/// <param name="Ms">How long it took, in milliseconds, from when its lane took it.</param>
/// <param name="At">When it ended.</param>
/// <param name="Model">The model its request named, when it named one.</param>
/// <param name="Attempts">The attempts it took.</param>
internal sealed record RecentCompletion(string What, string Lane, string Status, long Ms, DateTimeOffset At, string? Model = null, int Attempts = 0)
{
    /// <summary>What a job is called: its line's <c>id</c> (a string without its quotes, anything else as written), else its index.</summary>
    [global::GraphQL.Ignore]
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
