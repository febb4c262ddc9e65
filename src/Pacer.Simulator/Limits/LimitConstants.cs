namespace Pacer.Simulator;

/// <summary>Fixed values of the hidden limits.</summary>
internal static class LimitConstants
{
    /// <summary>The wait suggested to a request turned away for concurrency: no window says when a slot frees.</summary>
    public static readonly TimeSpan ConcurrencyRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The partition of requests that carry no API key.</summary>
    public const string AnonymousKey = "anonymous";
}
