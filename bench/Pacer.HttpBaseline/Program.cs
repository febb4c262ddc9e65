using System.Globalization;
using System.Text;

// Pacer.HttpBaseline URL JOBS CONCURRENCY
//
// Sends JOBS requests POST URL with the body {"n":i}, CONCURRENCY at a time, through one
// HttpClient, reads every answer's body, and prints one line: requests, failures, seconds and
// requests per second. It is what `pacer run --concurrency CONCURRENCY` is compared with.
if (args.Length != 3
    || !Uri.TryCreate(args[0], UriKind.Absolute, out Uri? url)
    || !int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int jobs) || jobs < 1
    || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int concurrency) || concurrency < 1)
{
    await Console.Error.WriteLineAsync("usage: Pacer.HttpBaseline URL JOBS CONCURRENCY").ConfigureAwait(false);
    return 2;
}

using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = Timeout.InfiniteTimeSpan };
int next = -1;
int failures = 0;
long started = TimeProvider.System.GetTimestamp();

async Task WorkerAsync()
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < jobs)
    {
        using var content = new StringContent($$"""{"n":{{i}}}""", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(url, content).ConfigureAwait(false);
        _ = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref failures);
        }
    }
}

await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync))).ConfigureAwait(false);
double seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests {jobs} failures {failures} seconds {seconds:F3} rps {jobs / seconds:F0}"));
return failures == 0 ? 0 : 1;
