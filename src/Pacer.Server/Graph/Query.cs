using GraphQL;
using Pacer.Server.Api;
using Pacer.Server.Runs;

namespace Pacer.Server.Graph;

/// <summary>GraphQL's queries: <c>run(id)</c>, <c>runs</c>, <c>lanes</c>.</summary>
internal sealed class Query
{
    /// <summary>One run, or null.</summary>
    public static async Task<RunDetails?> Run([FromServices] RunTracker tracker, [FromServices] RunView view, string id, CancellationToken cancellationToken) =>
        await tracker.FindAsync(id).ConfigureAwait(false) is { } run ? await view.OfAsync(run, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Runs, newest first.</summary>
    public static async Task<IEnumerable<RunDetails>> Runs(
        [FromServices] IRunCatalog catalog, [FromServices] RunTracker tracker, [FromServices] RunView view, CancellationToken cancellationToken, int offset = 0, int limit = 50)
    {
        if (offset < 0 || limit is < 1 or > 500)
        {
            throw new ExecutionError($"'offset' must be 0 or more and 'limit' from 1 to 500, got {offset} and {limit}.");
        }

        var runs = new List<RunDetails>();
        foreach (RunRecord record in catalog.List(offset, limit))
        {
            if (await tracker.FindAsync(record.Id).ConfigureAwait(false) is { } live)
            {
                runs.Add(await view.OfAsync(live, cancellationToken).ConfigureAwait(false));
            }
        }

        return runs;
    }

    /// <summary>Every lane's limits and what it is doing now.</summary>
    public static IEnumerable<LaneDetails> Lanes([FromServices] IRequestFormat format, [FromServices] PacerEngine engine) =>
        format.Lanes.Select(l => LaneDetails.Of(l, engine.GetLaneSnapshot(l.Name)));
}
