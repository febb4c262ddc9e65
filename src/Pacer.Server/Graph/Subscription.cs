using GraphQL;
using Pacer.Server.Api;
using Pacer.Server.Runs;

namespace Pacer.Server.Graph;

/// <summary>GraphQL's subscriptions: <c>runMetrics(id)</c>, the run as it changes, until it ends.</summary>
internal sealed class Subscription
{
    /// <summary>The run at once, then at most four times a second while it changes and at least once a second, and last when it ends.</summary>
    public static IObservable<RunDetails> RunMetrics([FromServices] RunTracker tracker, [FromServices] RunView view, [FromServices] TimeProvider time, string id) =>
        new RunObservable(tracker, view, time, id);
}
