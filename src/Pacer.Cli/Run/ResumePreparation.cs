namespace Pacer.Cli.Run;

/// <summary>What <c>--resume</c> does before a run sends anything.</summary>
internal static class ResumePreparation
{
    /// <summary>
    /// Reads the results already in the out file, checks that they are this input's, and drops from
    /// the file what runs again; the results kept by index, or why the run cannot go on (nothing sent).
    /// </summary>
    public static async Task<(IReadOnlyDictionary<long, ResumedResult>? Done, string? Error)> PrepareAsync(OutFile outFile, LineSource source, CancellationToken cancellationToken)
    {
        ResumeFile resume;
        try
        {
            resume = await ResumeFile.ReadAsync(outFile.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"Cannot read the out file '{outFile.Path}': {e.Message}");
        }

        try
        {
            if (await ResumeMatch.FindMismatchAsync(resume, outFile.Path, source, cancellationToken).ConfigureAwait(false) is { } mismatch)
            {
                return (null, mismatch);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"Cannot read {source.Name}: {e.Message}");
        }

        try
        {
            if (resume.NeedsRewrite)
            {
                await resume.RewriteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"Cannot write the out file '{outFile.Path}': {e.Message}");
        }

        return (resume.Done, null);
    }
}
