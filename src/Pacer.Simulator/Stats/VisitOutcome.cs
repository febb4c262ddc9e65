namespace Pacer.Simulator;

/// <summary>How a request to a simulated route ended.</summary>
internal enum VisitOutcome
{
    /// <summary>A response with a status code was sent.</summary>
    Answered,

    /// <summary>The connection was aborted by an injected fault.</summary>
    Dropped,

    /// <summary>The client went away, or the simulator stopped, before the answer.</summary>
    Cancelled,
}
