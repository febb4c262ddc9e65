using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;

namespace Pacer.Http;

/// <summary>
/// A validated, private copy of <see cref="PacerHttpOptions"/>: turns each request into its
/// <see cref="JobOptions"/> and judges each response.
/// </summary>
internal sealed class HttpJobSettings
{
    public const string ShouldRetryHeader = "x-should-retry";

    /// <summary>Lanes whose job options are kept for reuse; past this many, options are made per request.</summary>
    private const int MaxCachedLanes = 256;

    private readonly string? _lane;
    private readonly Func<HttpRequestMessage, string>? _laneSelector;
    private readonly int _priority;
    private readonly TimeSpan? _attemptTimeout;
    private readonly RetryPolicy? _retry;
    private readonly FrozenSet<HttpStatusCode> _retryableStatuses;
    private readonly Func<HttpRequestMessage, long>? _costEstimator;
    private readonly Func<HttpResponseMessage, ReadOnlyMemory<byte>, long?>? _costFromResponse;

    /// <summary>Job options per lane for requests of the default cost; JobOptions caches its resolved lane.</summary>
    private readonly ConcurrentDictionary<string, JobOptions> _byLane = new(StringComparer.Ordinal);

    public HttpJobSettings(PacerHttpOptions options)
    {
        var errors = new OptionsErrors("PacerHttpOptions: ");
        if (options.Lane is { Length: 0 })
        {
            errors.Add("Lane must not be empty; leave it null for the default lane.");
        }

        if (options.Lane is not null && options.LaneSelector is not null)
        {
            errors.Add($"Set Lane or LaneSelector, not both; got Lane '{options.Lane}' and a LaneSelector.");
        }

        if (options.Priority is < -1_000_000 or > 1_000_000)
        {
            errors.Add($"Priority must be between -1000000 and 1000000, got {options.Priority}.");
        }

        if (options.AttemptTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            errors.Add($"AttemptTimeout must be positive, got {timeout}.");
        }

        if (options.MaxRedirects is < 0 or > 50)
        {
            errors.Add($"MaxRedirects must be between 0 and 50, got {options.MaxRedirects}.");
        }

        if (options.RetryableStatusCodes is null)
        {
            errors.Add("RetryableStatusCodes must not be null; leave it empty to retry no status.");
        }
        else
        {
            foreach (HttpStatusCode status in options.RetryableStatusCodes.Order())
            {
                if ((int)status is < 100 or > 999)
                {
                    errors.Add($"RetryableStatusCodes must hold HTTP statuses from 100 to 999, got {(int)status}.");
                }
            }
        }

        errors.ThrowIfAny();
        _lane = options.Lane;
        _laneSelector = options.LaneSelector;
        _priority = options.Priority;
        _attemptTimeout = options.AttemptTimeout;
        _retry = options.Retry;
        MaxRedirects = options.MaxRedirects;
        _retryableStatuses = options.RetryableStatusCodes!.ToFrozenSet();
        _costEstimator = options.CostEstimator;
        _costFromResponse = options.CostFromResponse;
    }

    /// <summary>Whether answers are read for their real cost (<see cref="PacerHttpOptions.CostFromResponse"/>).</summary>
    public bool ReadsCost => _costFromResponse is not null;

    /// <summary>The real cost of an answer with this body, or <see langword="null"/> to keep the estimate.</summary>
    /// <remarks>
    /// A reader that throws keeps the estimate: the answer has come and may already be the
    /// caller's, so failing (and perhaps resending) the request for it would be worse.
    /// </remarks>
    public long? CostOf(HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        try
        {
            return _costFromResponse?.Invoke(response, body) is long cost && cost >= 0 ? cost : null;
        }
#pragma warning disable CA1031 // See the remarks: the estimate stands.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>How many redirects within the origin one attempt follows.</summary>
    public int MaxRedirects { get; }

    /// <summary>
    /// Whether a request's content may be sent more than once: by another attempt (unless the
    /// policy allows one), or again after a 307 or 308 redirect (unless none are followed).
    /// </summary>
    public bool MaySendAgain => _retry is null || _retry.MaxAttempts > 1 || MaxRedirects > 0;

    /// <summary>
    /// The job options of one request: its lane, and its cost when an estimator is set; what the
    /// request's own <see cref="PacerRequestOptions"/> set wins. Those are left to the engine to
    /// validate when the job is submitted, by the rules of <see cref="JobOptions"/>.
    /// </summary>
    public JobOptions JobOptionsFor(HttpRequestMessage request)
    {
        if (request.GetPacerOptions() is { } own)
        {
            return new JobOptions
            {
                Lane = own.Lane ?? (_laneSelector is null ? _lane : _laneSelector(request)),
                Priority = own.Priority ?? _priority,
                Cost = own.Cost ?? _costEstimator?.Invoke(request) ?? 1,
                Timeout = own.AttemptTimeout ?? _attemptTimeout,
                Retry = _retry,
                IdempotencyKey = own.IdempotencyKey,
            };
        }

        string? lane = _laneSelector is null ? _lane : _laneSelector(request);
        if (_costEstimator is not null)
        {
            return Create(lane, _costEstimator(request));
        }

        string key = lane ?? PacerEngine.DefaultLaneName;
        if (_byLane.TryGetValue(key, out JobOptions? cached))
        {
            return cached;
        }

        JobOptions created = Create(lane, cost: 1);
        return _byLane.Count < MaxCachedLanes ? _byLane.GetOrAdd(key, created) : created;
    }

    /// <summary>
    /// Whether a response is worth another attempt: <c>x-should-retry</c> on an unsuccessful
    /// response decides; otherwise a retryable status, or a 403 that the hints call a rate limit.
    /// </summary>
    public bool IsRetryable(HttpResponseMessage response, OutcomeHints hints)
    {
        if (!response.IsSuccessStatusCode && HeaderReader.First(response, ShouldRetryHeader) is { } shouldRetry)
        {
            if (shouldRetry.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (shouldRetry.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return _retryableStatuses.Contains(response.StatusCode)
            || (response.StatusCode == HttpStatusCode.Forbidden && hints.RateLimited);
    }

    private JobOptions Create(string? lane, long cost) => new()
    {
        Lane = lane,
        Priority = _priority,
        Cost = cost,
        Timeout = _attemptTimeout,
        Retry = _retry,
    };
}
