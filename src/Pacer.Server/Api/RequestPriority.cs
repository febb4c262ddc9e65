namespace Pacer.Server.Api;

/// <summary>The priorities a run may add to its jobs': those the engine takes.</summary>
internal static class RequestPriority
{
    public const int Max = 1_000_000;
}
