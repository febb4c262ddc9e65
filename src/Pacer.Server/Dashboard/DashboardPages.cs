using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Pacer.Server.Dashboard;

/// <summary>
/// The live dashboard: static files embedded from <c>wwwroot</c>, served before the API key check
/// (they hold no data; the page asks for the key and sends it with every API call). The page's
/// routes (<c>/</c>, <c>/runs/{id}</c>, <c>/lanes</c>) all answer with <c>index.html</c>, which
/// reads the path itself, so that a run's page is a link that can be shared.
/// </summary>
internal static class DashboardPages
{
    /// <summary>No script, style, image or connection from anywhere but the server itself; never framed.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly ManifestEmbeddedFileProvider s_files = new(Assembly.GetExecutingAssembly(), "wwwroot");

    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsPage(context.Request))
            {
                Secure(context.Response);
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.ContentType = "text/html; charset=utf-8";
                IFileInfo index = s_files.GetFileInfo("index.html");
                context.Response.ContentLength = index.Length;
                if (!HttpMethods.IsHead(context.Request.Method))
                {
                    await using Stream page = index.CreateReadStream();
                    await page.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                }

                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = s_files,
            OnPrepareResponse = file =>
            {
                Secure(file.Context.Response);
                file.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
    }

    /// <summary>A GET or HEAD of one of the page's routes: <c>/</c>, <c>/lanes</c> or <c>/runs/{id}</c>.</summary>
    private static bool IsPage(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        string path = request.Path.Value ?? "";
        return path is "/" or "/lanes"
            || (path.StartsWith("/runs/", StringComparison.Ordinal) && path.Length > "/runs/".Length && path.IndexOf('/', "/runs/".Length) < 0);
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
