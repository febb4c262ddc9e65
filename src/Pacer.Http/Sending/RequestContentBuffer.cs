using System.Net.Http.Json;

namespace Pacer.Http;

/// <summary>
/// Makes a request's content survive being sent more than once. Content that serializes itself
/// anew on each send (bytes, strings, forms, JSON values) is left alone; anything else, such as a
/// <see cref="StreamContent"/> over a stream that cannot seek, is read into memory once, before the
/// request is queued, so that no attempt holds a slot while a body is read.
/// </summary>
internal static class RequestContentBuffer
{
    public static Task EnsureReplayableAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Content is null or ByteArrayContent or ReadOnlyMemoryContent or JsonContent
            ? Task.CompletedTask
            : request.Content.LoadIntoBufferAsync(cancellationToken);
}
