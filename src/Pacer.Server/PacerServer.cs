using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pacer.Server.Api;
using Pacer.Server.Dashboard;
using GraphQL;
using Pacer.Server.Events;
using Pacer.Server.Graph;
using Pacer.Server.Lanes;
using Pacer.Server.Runs;
using Pacer.Server.Security;
using Pacer.Postgres;
using Pacer.Sqlite;

namespace Pacer.Server;

/// <summary>
/// Builds <c>pacer serve</c>: an ASP.NET Core app over one SQLite file or a shared PostgreSQL, whose runs go through the
/// engine's lanes. The command line gives it the engine and the request format (<see cref="IRequestFormat"/>).
/// </summary>
internal static class PacerServer
{
    /// <summary>
    /// Opens the store (and the runs table): the SQLite file <see cref="ServerOptions.Database"/>, or
    /// the PostgreSQL <see cref="ServerOptions.Store"/> (its tables made or updated). Before the app
    /// is built, so that a store that cannot be used is named at once.
    /// </summary>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The file cannot be opened, or is not a database.</exception>
    /// <exception cref="Npgsql.NpgsqlException">The PostgreSQL cannot be reached.</exception>
    /// <exception cref="InvalidOperationException">The store was written by a newer Pacer.</exception>
    public static ServerStore OpenStore(ServerOptions options, TimeProvider time)
    {
        if (options.Store is { } connectionString)
        {
            var jobs = new PostgresJobStore(connectionString, time);
            Npgsql.NpgsqlDataSource runs = PostgresDataSource.Create(connectionString);
            return new ServerStore(jobs, new PostgresRunCatalog(runs, time), runs, jobs);
        }

        var store = new SqliteJobStore(options.Database, time);
        try
        {
            return new ServerStore(store, new SqliteRunCatalog(options.Database), store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public static WebApplication Build(ServerOptions options, IReadOnlyList<Uri> urls, PacerEngine engine, IRequestFormat format, ServerStore store)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "pacer", Args = [] });
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.WebHost.UseUrls([.. urls.Select(u => u.GetLeftPart(UriPartial.Authority))]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        IServiceCollection services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(engine);
        services.AddSingleton(format);
        services.AddSingleton(engine.TimeProvider);
        services.AddSingleton(store.Jobs);
        services.AddSingleton(store.Runs);
        services.AddSingleton<RunTracker>();
        services.AddSingleton<RunView>();
        services.AddSingleton<RunSubmitter>();
        services.AddSingleton<OutcomeWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<OutcomeWriter>());
        services.AddSingleton<RunExecutor>();
        services.AddHostedService(sp => sp.GetRequiredService<RunExecutor>());
        services.AddSingleton<EventFeed>();
        services.AddSingleton<LaneSettings>();
        services.AddHostedService<LaneTicker>();
        if (options.Shared)
        {
            services.AddHostedService<SharedRunWatch>();
        }

        services.AddSingleton<RetentionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionSweeper>());
        services.AddGraphQL(graphql => graphql
            .AddAutoSchema<Query>(schema => schema.WithMutation<Mutation>().WithSubscription<Subscription>())
            .AddSystemTextJson());
        services.AddProblemDetails();
        services.AddOpenApi();

        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        DashboardPages.Use(app);
        app.UseMiddleware<ApiKeyCheck>();
        bool keyed = options.ApiKey is not null;
        app.MapGet(ApiKeyCheck.HealthPath, () => Results.Ok(new { status = "ok", apiKey = keyed })).WithSummary("Answers 200 while the server runs, and says whether the API needs a key; needs no API key.");
        app.MapOpenApi();
        RouteGroupBuilder api = app.MapGroup("/api");
        RunEndpoints.Map(api);
        JobEndpoints.Map(api);
        LaneEndpoints.Map(api);
        EventEndpoints.Map(api);
        GraphQLEndpoint.Map(app);
        return app;
    }
}
