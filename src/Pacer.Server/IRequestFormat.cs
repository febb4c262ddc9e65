namespace Pacer.Server;

/// <summary>
/// What the service needs of the request lines <c>pacer run</c> reads and the result lines it
/// writes: the command line gives its own parser and result writer, so a line means the same to both.
/// </summary>
internal interface IRequestFormat
{
    /// <summary>The lanes jobs may go to, as they may be shown (no secrets).</summary>
    IReadOnlyList<ServedLane> Lanes { get; }

    /// <summary>Reads one line of a run before it is stored.</summary>
    /// <param name="index">The line's place in the run, from 0.</param>
    /// <param name="text">The line.</param>
    /// <param name="priorityOffset">Added to the line's priority (the run's <c>?priority=</c>).</param>
    CheckedLine Check(long index, string text, int priorityOffset);

    /// <summary>Sends the request of one stored line through its lane; never throws for what the request met.</summary>
    /// <param name="index">The line's place in the run.</param>
    /// <param name="text">The line as stored.</param>
    /// <param name="priorityOffset">The run's priority offset.</param>
    /// <param name="attempting">Told true when an attempt starts, false when it ends.</param>
    /// <param name="cancellationToken">Cancels the request: its result is then a cancelled one.</param>
    Task<SentLine> SendAsync(long index, string text, int priorityOffset, Action<bool> attempting, CancellationToken cancellationToken);

    /// <summary>The result line of a line that was cancelled before it had a result.</summary>
    string CancelledResult(long index, string text, string? lane);

    /// <summary>How many answers the lane's service gave with 429 Too Many Requests since the server started, retries included.</summary>
    long TooManyRequests(string lane);
}

/// <summary>What a line of a run is before it is stored.</summary>
/// <param name="Lane">The lane it goes to; null for a line that cannot be a job.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="Cost">Its cost.</param>
/// <param name="BadLineResult">For a line that cannot be a job: its result line, with the error that names the line and field.</param>
/// <param name="Refusal">For a line the service will not send at all (a URL under no lane's base URL): why. The whole submission is refused.</param>
internal readonly record struct CheckedLine(string? Lane, int Priority, long Cost, string? BadLineResult, string? Refusal);

/// <summary>How a stored line's request ended.</summary>
/// <param name="State">Succeeded, Failed or Cancelled.</param>
/// <param name="Attempts">The attempts it took.</param>
/// <param name="ResultJson">Its result line.</param>
/// <param name="Error">Its error, when it has one.</param>
/// <param name="Status">The HTTP status of its last answer, when it had one.</param>
/// <param name="Id">The line's own <c>id</c>, as written, when it has one.</param>
/// <param name="Milliseconds">How long it took.</param>
/// <param name="Model">The <c>model</c> its JSON body named, when it named one (an LLM request's), for the dashboard's recent completions.</param>
internal sealed record SentLine(StoredJobState State, int Attempts, string ResultJson, string? Error, int? Status, string? Id, long Milliseconds, string? Model = null);

/// <summary>A lane as the service shows it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="BaseUrl">Its base URL with any secret in it masked, or null.</param>
/// <param name="Options">The limits it was given, which the engine was built with.</param>
internal sealed record ServedLane(string Name, string? BaseUrl, LaneOptions Options);
