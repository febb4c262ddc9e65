namespace Pacer.Http;

/// <summary>Attaches <see cref="PacerRequestOptions"/> to a request, in its <see cref="HttpRequestMessage.Options"/>.</summary>
public static class PacerHttpRequestMessageExtensions
{
    private static readonly HttpRequestOptionsKey<PacerRequestOptions> s_key = new("Pacer.RequestOptions");

    /// <summary>
    /// Sets how this request travels through a <see cref="PacerHttpHandler"/> (lane, priority, cost,
    /// attempt timeout, idempotency key), in place of the handler's options. Setting it again replaces it.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The request's own options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="options"/> is null.</exception>
    public static void SetPacerOptions(this HttpRequestMessage request, PacerRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        request.Options.Set(s_key, options);
    }

    /// <summary>The options set with <see cref="SetPacerOptions"/>, or <see langword="null"/>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The request's own options, or <see langword="null"/> when it has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public static PacerRequestOptions? GetPacerOptions(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(s_key, out PacerRequestOptions? options) ? options : null;
    }
}
