using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Pacer.Server.Runs;

namespace Pacer.Server.Api;

/// <summary>
/// Plan 003's answer to <c>POST /api/runs?wait=true</c>: once the run has ended, every result in
/// input order and the run's metrics: <c>total_processing_time_ms</c>, <c>parallel_tasks_spawned</c>,
/// <c>processing_mode_used</c>, <c>average_task_duration_ms</c>, the fallbacks taken with their
/// reasons, and <c>estimated_sequential_time_ms</c> (the jobs' durations one after another).
/// </summary>
internal static class ModeAnswer
{
    public static async Task<IResult> WhenEndedAsync(LiveRun live, string asked, IReadOnlyList<ModeFallbackView> fallbacks, IBatchJobStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        while (live.Run.FinishedAt is null && live.Remaining > 0)
        {
            Task changed = live.Changed.Next;
            if (live.Run.FinishedAt is not null || live.Remaining <= 0)
            {
                break;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        RunRecord run = live.Run;
        var buffer = new ArrayBufferWriter<byte>();
        long totalMs = 0, count = 0;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", run.Id);
            json.WriteNumber("jobs", run.Jobs);
            json.WriteStartArray("results");
            long after = run.FirstSequence - 1;
            while (true)
            {
                IReadOnlyList<StoredJob> page = await store.PageBatchAsync(run.Id, after, 1000, cancellationToken).ConfigureAwait(false);
                foreach (StoredJob job in page)
                {
                    after = job.Sequence;
                    if (job.Result is { } result)
                    {
                        using var parsed = JsonDocument.Parse(result);
                        parsed.RootElement.WriteTo(json);
                        if (parsed.RootElement.TryGetProperty("ms", out JsonElement ms) && ms.TryGetInt64(out long milliseconds))
                        {
                            totalMs += milliseconds;
                            count++;
                        }
                    }
                    else
                    {
                        json.WriteStartObject();
                        json.WriteNumber("index", run.Index(job.Sequence));
                        json.WriteBoolean("ok", false);
                        json.WriteString("error", job.Error ?? "cancelled");
                        json.WriteEndObject();
                    }
                }

                if (page.Count < 1000)
                {
                    break;
                }
            }

            json.WriteEndArray();
            json.WriteStartObject("metrics");
            DateTimeOffset end = run.FinishedAt ?? time.GetUtcNow();
            json.WriteNumber("total_processing_time_ms", (long)(end - run.CreatedAt).TotalMilliseconds);
            json.WriteNumber("parallel_tasks_spawned", live.MostAttempting);
            json.WriteString("processing_mode_requested", asked);
            json.WriteString("processing_mode_used", run.Mode);
            json.WriteNumber("average_task_duration_ms", count == 0 ? 0 : Math.Round((double)totalMs / count, 1));
            json.WriteNumber("estimated_sequential_time_ms", totalMs);
            json.WriteStartArray("fallbacks");
            foreach (ModeFallbackView fallback in fallbacks)
            {
                json.WriteStartObject();
                json.WriteString("from", fallback.From);
                json.WriteString("to", fallback.To);
                json.WriteString("reason", fallback.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Results.Text(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), "application/json", System.Text.Encoding.UTF8, StatusCodes.Status201Created);
    }
}
