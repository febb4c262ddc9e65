namespace Pacer.Simulator;

/// <summary>
/// Hidden limits of one API key on one route. Every limit that is set must hold; a request beyond
/// any of them gets <c>429</c> with <c>Retry-After</c>. A request is accepted only if the accepted
/// requests (or tokens) in the window, plus this one, stay within the limit: the sliding window
/// ending now on the provider routes (chat, messages), the fixed window that holds now on the
/// plain routes (listing, echo), as GitHub-style APIs count.
/// </summary>
public sealed class LimitOptions
{
    /// <summary>Accepted requests per minute.</summary>
    /// <value>Default <see langword="null"/>: no limit. At least 1 when set.</value>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Accepted requests per second.</summary>
    /// <value>Default <see langword="null"/>: no limit. At least 1 when set.</value>
    public int? RequestsPerSecond { get; set; }

    /// <summary>
    /// Tokens per minute. A request costs its prompt characters ÷ 4 (rounded up) plus its
    /// <c>max_tokens</c>; routes without tokens cost nothing.
    /// </summary>
    /// <value>Default <see langword="null"/>: no limit. At least 1 when set.</value>
    public int? TokensPerMinute { get; set; }

    /// <summary>Requests being processed at once.</summary>
    /// <value>Default <see langword="null"/>: no limit. At least 1 when set.</value>
    public int? MaxConcurrency { get; set; }

    internal void Validate(OptionsErrors errors, string field)
    {
        CheckAtLeastOne(errors, field, nameof(RequestsPerMinute), RequestsPerMinute);
        CheckAtLeastOne(errors, field, nameof(RequestsPerSecond), RequestsPerSecond);
        CheckAtLeastOne(errors, field, nameof(TokensPerMinute), TokensPerMinute);
        CheckAtLeastOne(errors, field, nameof(MaxConcurrency), MaxConcurrency);
    }

    internal LimitOptions Clone() => new()
    {
        RequestsPerMinute = RequestsPerMinute,
        RequestsPerSecond = RequestsPerSecond,
        TokensPerMinute = TokensPerMinute,
        MaxConcurrency = MaxConcurrency,
    };

    private static void CheckAtLeastOne(OptionsErrors errors, string field, string name, int? value)
    {
        if (value is < 1)
        {
            errors.Add($"{field}{name} must be at least 1, got {value}.");
        }
    }
}
