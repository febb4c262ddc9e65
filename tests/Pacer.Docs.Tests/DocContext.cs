using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Pacer.Docs.Tests;

/// <summary>
/// What the docs' C# snippets take as given, named as the snippets name it: an engine, the items of a
/// batch, the caller's own methods such as <c>CallAsync</c>. Every snippet is compiled as a method of a
/// class derived from this one, so a snippet compiles exactly when a reader who has these things can
/// paste it.
/// </summary>
public abstract class DocContext
{
    // Things the reader has.
    protected PacerEngine engine = null!;
    protected string[] items = [];
    protected Batch<string> batch = null!;
    protected JobContext context;
    protected CancellationToken cancellationToken;
    protected CancellationToken stoppingToken;
    protected HostApplicationBuilder builder = null!;
    protected IServiceCollection services = null!;
    protected IHttpClientFactory factory = null!;
    protected HttpClient openai = null!;
    protected object body = new();
    protected string apiKey = "";
    protected DateTimeOffset resetAt;
    protected Answer[] answers = [];
    protected string project = "";

    // The reader's own calls: Task-returning, as HttpClient and SDKs are.
    protected static Task<string> CallAsync(CancellationToken cancellationToken) => Task.FromResult("");

    protected static Task<string> CallAsync(string item, CancellationToken cancellationToken) => Task.FromResult(item);

    protected static ValueTask<string?> RunPayloadAsync(string payload, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(payload);

    protected static long EstimateTokens(HttpRequestMessage request) => 0;

    protected static ValueTask<Grade> GradeOneAsync(Answer answer, CancellationToken cancellationToken) => ValueTask.FromResult(new Grade());

    protected static ValueTask<IReadOnlyList<Grade>> GradeManyAsync(IReadOnlyList<Answer> answers, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Grade>>([.. answers.Select(_ => new Grade())]);

    protected static Task<Suite[]> ListSuitesAsync(string project, CancellationToken cancellationToken) => Task.FromResult<Suite[]>([]);

    protected static ValueTask<Case[]> FirstPageAndMoreAsync(Suite suite, JobContext page) => ValueTask.FromResult<Case[]>([]);

    /// <summary>An answer to grade (docs/resilience.md, processing modes).</summary>
    public sealed record Answer;

    /// <summary>A grade (docs/resilience.md, processing modes).</summary>
    public sealed record Grade;

    /// <summary>A test suite of a listing (docs/resilience.md, fan-out).</summary>
    public sealed record Suite;

    /// <summary>A test case of a listing (docs/resilience.md, fan-out).</summary>
    public sealed record Case(int Id);
}
