using System.Runtime.CompilerServices;

namespace Pacer.Cli.Run;

/// <summary>Sits under the Pacer handler and counts the attempts each request makes.</summary>
internal sealed class AttemptCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public static readonly HttpRequestOptionsKey<StrongBox<int>> Key = new("pacer.attempts");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Key, out StrongBox<int>? attempts))
        {
            Interlocked.Increment(ref attempts.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
