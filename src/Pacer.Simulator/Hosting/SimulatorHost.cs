using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pacer.Simulator;

/// <summary>
/// A running simulator: an HTTP service on 127.0.0.1 that behaves like rate-limited providers
/// (OpenAI-shaped chat completions, Anthropic-shaped messages, a paginated listing, an echo), with
/// hidden limits, latency and faults. Start it with <see cref="StartAsync(SimulatorOptions, CancellationToken)"/>
/// and stop it with <see cref="DisposeAsync"/>.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly SimulatorRuntime _runtime;
    private int _disposed;

    private SimulatorHost(WebApplication app, SimulatorRuntime runtime, Uri baseAddress)
    {
        _app = app;
        _runtime = runtime;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the simulator listens, such as <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A copy of the options the simulator started with; the limits may since have been replaced (see <see cref="Limits"/>).</summary>
    public SimulatorOptions Options => _runtime.Options.ValidatedCopy();

    /// <summary>The hidden limits in force now (a copy).</summary>
    public SimulatorLimits Limits => _runtime.Limiter.Limits;

    /// <summary>Starts a simulator on 127.0.0.1 and returns once it accepts connections.</summary>
    /// <param name="options">How it behaves; validated and copied. Port 0 picks a free port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every field and value.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, TimeProvider.System, logToConsole: false, cancellationToken);

    /// <summary>
    /// Starts a simulator whose limit windows, latency and statistics keep time on
    /// <paramref name="timeProvider"/>: a test can hold a window open, or end it, at will.
    /// </summary>
    /// <inheritdoc cref="StartAsync(SimulatorOptions, CancellationToken)"/>
    public static Task<SimulatorHost> StartAsync(SimulatorOptions options, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        StartAsync(options, timeProvider, logToConsole: false, cancellationToken);

    internal static async Task<SimulatorHost> StartAsync(SimulatorOptions options, TimeProvider time, bool logToConsole, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var validated = options.ValidatedCopy();
        cancellationToken.ThrowIfCancellationRequested();

        var runtime = new SimulatorRuntime(validated, time);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, validated.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = s_shutdownTimeout);
        if (logToConsole)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }
        else
        {
            builder.Services.AddSingleton<IHostLifetime, NullHostLifetime>();
        }

        var app = builder.Build();
        MapRoutes(app, runtime);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            runtime.Dispose();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var baseAddress = new Uri(addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return new SimulatorHost(app, runtime, baseAddress);
    }

    /// <summary>A snapshot of what the simulator saw since it started or was last reset.</summary>
    public SimulatorStats GetStats() => _runtime.Stats.Snapshot();

    /// <summary>Forgets the statistics; requests in flight are still counted when they end.</summary>
    /// <param name="clearLimitWindows">Also forget what the limit windows counted, as if no request had been accepted.</param>
    public void Reset(bool clearLimitWindows = false)
    {
        _runtime.Stats.Reset();
        if (clearLimitWindows)
        {
            _runtime.Limiter.ClearWindows();
        }
    }

    /// <summary>
    /// Replaces the hidden limits at once. What the windows counted carries over: halving a limit
    /// mid-run turns requests away until the window holds less than the new limit.
    /// </summary>
    /// <exception cref="ArgumentException">The limits are invalid; nothing changes.</exception>
    public void UpdateLimits(SimulatorLimits limits) => _runtime.Limiter.Update(limits);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the statistics, checking after every
    /// request that arrives or ends. Returns the snapshot it held for.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task<SimulatorStats> WaitForStatsAsync(Func<SimulatorStats, bool> condition, CancellationToken cancellationToken = default) =>
        _runtime.Stats.WaitForAsync(condition, cancellationToken);

    /// <summary>Completes when the host is asked to stop (Ctrl+C or SIGTERM when run on its own).</summary>
    internal Task WaitForStopSignalAsync()
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        return stopping.Task;
    }

    /// <summary>Stops listening; requests still waiting out their latency end at once, unanswered.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _runtime.BeginStopping();
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _runtime.Dispose();
        }
    }

    private static void MapRoutes(WebApplication app, SimulatorRuntime runtime)
    {
        app.MapPost(ChatCompletionsEndpoint.Path, new ChatCompletionsEndpoint(runtime).HandleAsync);
        app.MapPost(MessagesEndpoint.Path, new MessagesEndpoint(runtime).HandleAsync);
        app.MapGet(ListingEndpoint.ProjectsPath, new ListingEndpoint(runtime, ListingKind.Projects).HandleAsync);
        app.MapGet(ListingEndpoint.SuitesPath, new ListingEndpoint(runtime, ListingKind.Suites).HandleAsync);
        app.MapGet(ListingEndpoint.CasesPath, new ListingEndpoint(runtime, ListingKind.Cases).HandleAsync);
        app.MapPost(EchoEndpoint.Path, new EchoEndpoint(runtime).HandleAsync);
        ControlEndpoints.Map(app, runtime);
    }
}
