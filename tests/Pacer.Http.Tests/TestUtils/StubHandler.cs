namespace Pacer.Http.Tests;

/// <summary>
/// The innermost handler of a test: answers each attempt from <c>answer</c>, records the request
/// body it saw and every response it made, and lets a test await the n-th attempt.
/// </summary>
internal sealed class StubHandler(Func<HttpRequestMessage, int, HttpResponseMessage> answer) : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly Occurrences _attempts = new();
    private int _started;

    public List<HttpResponseMessage> Sent { get; } = [];

    public List<string?> Bodies { get; } = [];

    public int Attempts => _attempts.Count;

    /// <summary>Completes once at least <paramref name="count"/> attempts have been answered.</summary>
    public Task AttemptsReached(int count) => _attempts.Reached(count);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        int attempt;
        lock (_lock)
        {
            attempt = ++_started;
        }

        try
        {
            HttpResponseMessage response = answer(request, attempt);
            response.RequestMessage = request;
            lock (_lock)
            {
                Sent.Add(response);
                Bodies.Add(body);
            }

            return response;
        }
        finally
        {
            _attempts.Add();
        }
    }
}
