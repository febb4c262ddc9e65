using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>
/// One level of the paginated listing: <c>GET /api/projects</c>, <c>GET /api/projects/{id}/suites</c>
/// or <c>GET /api/suites/{id}/cases</c>, each with <c>?offset=&amp;limit=</c> and an answer
/// <c>{"items":[…],"offset","limit","total"}</c>.
/// </summary>
internal sealed class ListingEndpoint(SimulatorRuntime runtime, ListingKind kind) : SimulatedEndpoint<PageRequest>(runtime)
{
    public const string ProjectsPath = "/api/projects";
    public const string SuitesPath = "/api/projects/{id}/suites";
    public const string CasesPath = "/api/suites/{id}/cases";

    public override SimulatorRoute Route => SimulatorRoute.Listing;

    protected override ProviderDialect Dialect => PlainDialect.Instance;

    private ListingCatalog Catalog => Runtime.Catalog;

    protected override Task<ReadResult<PageRequest>> ReadAsync(HttpContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Read(context.Request));

    protected override Task WriteAnswerAsync(HttpContext context, PageRequest request, CancellationToken cancellationToken) =>
        JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            (Endpoint: this, Page: request),
            static (writer, s) =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("items");
                for (int i = 0; i < s.Page.Count; i++)
                {
                    s.Endpoint.WriteItem(writer, s.Page, s.Page.Offset + i);
                }

                writer.WriteEndArray();
                writer.WriteNumber("offset", s.Page.Offset);
                writer.WriteNumber("limit", s.Page.Limit);
                writer.WriteNumber("total", s.Page.Total);
                writer.WriteEndObject();
            },
            cancellationToken);

    private ReadResult<PageRequest> Read(HttpRequest request)
    {
        long parentId = 0;
        long total;
        switch (kind)
        {
            case ListingKind.Projects:
                total = Catalog.ProjectCount;
                break;
            case ListingKind.Suites:
                if (!TryRouteId(request, out parentId) || !Catalog.HasProject(parentId))
                {
                    return ReadResult<PageRequest>.Fail(ApiError.NotFound($"Project '{request.RouteValues["id"]}' not found."));
                }

                total = Catalog.Options.SuitesPerProject;
                break;
            default:
                if (!TryRouteId(request, out parentId) || !Catalog.TryGetProjectOfSuite(parentId, out _))
                {
                    return ReadResult<PageRequest>.Fail(ApiError.NotFound($"Suite '{request.RouteValues["id"]}' not found."));
                }

                total = Catalog.CaseCountOf(parentId);
                break;
        }

        int maxPage = Catalog.Options.MaxPageSize;
        if (!TryQuery(request, "offset", 0, long.MaxValue, 0, out long offset, out var offsetError))
        {
            return ReadResult<PageRequest>.Fail(offsetError);
        }

        if (!TryQuery(request, "limit", 1, maxPage, maxPage, out long limit, out var limitError))
        {
            return ReadResult<PageRequest>.Fail(limitError);
        }

        return ReadResult<PageRequest>.Ok(new PageRequest(parentId, total, offset, (int)limit));
    }

    private void WriteItem(Utf8JsonWriter writer, PageRequest page, long index)
    {
        writer.WriteStartObject();
        switch (kind)
        {
            case ListingKind.Projects:
                long projectId = index + 1;
                writer.WriteNumber("id", projectId);
                writer.WriteString("name", ListingCatalog.ProjectName(projectId));
                writer.WriteNumber("suiteCount", Catalog.Options.SuitesPerProject);
                break;
            case ListingKind.Suites:
                long suiteId = Catalog.FirstSuiteOf(page.ParentId) + index;
                writer.WriteNumber("id", suiteId);
                writer.WriteNumber("projectId", page.ParentId);
                writer.WriteString("name", Catalog.SuiteName(suiteId));
                writer.WriteNumber("caseCount", Catalog.CaseCountOf(suiteId));
                break;
            default:
                int caseIndex = (int)index;
                writer.WriteNumber("id", ListingCatalog.CaseId(page.ParentId, caseIndex));
                writer.WriteNumber("suiteId", page.ParentId);
                writer.WriteString("title", Catalog.CaseTitle(page.ParentId, caseIndex));
                writer.WriteString("priority", Catalog.CasePriority(page.ParentId, caseIndex));
                break;
        }

        writer.WriteEndObject();
    }

    private static bool TryRouteId(HttpRequest request, out long id) =>
        long.TryParse(request.RouteValues["id"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static bool TryQuery(HttpRequest request, string name, long min, long max, long fallback, out long value, out ApiError error)
    {
        error = default;
        value = fallback;
        string? text = request.Query[name];
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        string range = max == long.MaxValue ? $"at least {min}" : $"from {min} to {max}";
        error = ApiError.Invalid($"{name} must be an integer {range}, got '{text}'.");
        return false;
    }
}
