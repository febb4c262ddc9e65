namespace Pacer.Http.Tests;

/// <summary>Tells whether a response was disposed: reading disposed content throws.</summary>
internal static class DisposalProbe
{
    public static bool IsDisposed(HttpResponseMessage response)
    {
        try
        {
            _ = response.Content.ReadAsStream();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
