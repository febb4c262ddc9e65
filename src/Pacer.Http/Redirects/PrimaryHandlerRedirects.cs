namespace Pacer.Http;

/// <summary>
/// Turns off the automatic redirects of the primary handler (the one at the end of the chain),
/// which would follow a redirect to another origin with every header but <c>Authorization</c>:
/// the Pacer handler must see each redirect to refuse those. <see cref="SocketsHttpHandler"/> and
/// <see cref="HttpClientHandler"/> are known; a primary handler of another kind is trusted not to
/// follow redirects.
/// </summary>
internal static class PrimaryHandlerRedirects
{
    /// <exception cref="InvalidOperationException">The primary handler follows redirects and has sent requests already, so it can no longer be changed.</exception>
    public static void TurnOff(HttpMessageHandler? handler)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        try
        {
            switch (handler)
            {
                case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler { AllowAutoRedirect: true } client:
                    client.AllowAutoRedirect = false;
                    break;
            }
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                $"PacerHttpHandler follows redirects itself, within the request's origin only, so its primary handler must not: {handler!.GetType().Name} has sent requests already and can no longer be changed. Set its AllowAutoRedirect to false before it is first used.",
                e);
        }
    }
}
