using Microsoft.Extensions.Options;
using Pacer;
using Pacer.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a <see cref="PacerHttpHandler"/> to clients made by <see cref="System.Net.Http.IHttpClientFactory"/>.</summary>
public static class PacerHttpClientBuilderExtensions
{
    /// <summary>
    /// Sends the client's requests through <paramref name="lane"/> of the container's
    /// <see cref="PacerEngine"/> (see <c>AddPacer</c>):
    /// <c>services.AddHttpClient("openai").AddPacerHandler("openai")</c>.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="lane">The lane every request of this client travels in.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lane"/> is null or empty.</exception>
    public static IHttpClientBuilder AddPacerHandler(this IHttpClientBuilder builder, string lane)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        return builder.AddPacerHandler(options => options.Lane = lane);
    }

    /// <summary>
    /// Sends the client's requests through <paramref name="lane"/>, with more settings from
    /// <paramref name="configure"/> (priority, attempt timeout, retry policy, retryable statuses, cost).
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="lane">The lane every request of this client travels in.</param>
    /// <param name="configure">Sets the other options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lane"/> is null or empty.</exception>
    public static IHttpClientBuilder AddPacerHandler(this IHttpClientBuilder builder, string lane, Action<PacerHttpOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddPacerHandler(options =>
        {
            options.Lane = lane;
            configure(options);
        });
    }

    /// <summary>
    /// Sends the client's requests through the lanes <paramref name="configure"/> names (a
    /// <see cref="PacerHttpOptions.Lane"/> or a <see cref="PacerHttpOptions.LaneSelector"/>). The
    /// options are named after the client, so they can also be set with
    /// <c>services.Configure&lt;PacerHttpOptions&gt;(clientName, …)</c>.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <remarks>
    /// The handler is built when the client's handler chain is; an invalid option then throws an
    /// <see cref="ArgumentException"/> naming it. Before its first request, the handler turns off
    /// <c>AllowAutoRedirect</c> on the client's primary handler (the factory's default one follows
    /// redirects), as it follows redirects itself, within the request's origin only.
    /// </remarks>
    public static IHttpClientBuilder AddPacerHandler(this IHttpClientBuilder builder, Action<PacerHttpOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        string name = builder.Name;
        builder.Services.AddOptions<PacerHttpOptions>(name).Configure(configure);
        return builder.AddHttpMessageHandler(provider =>
        {
            PacerEngine engine = provider.GetService<PacerEngine>()
                ?? throw new InvalidOperationException(
                    $"HttpClient '{name}': AddPacerHandler needs a PacerEngine in the container; register one with services.AddPacer(…).");
            return new PacerHttpHandler(engine, provider.GetRequiredService<IOptionsMonitor<PacerHttpOptions>>().Get(name));
        });
    }
}
