using System.Text.Json;

namespace Pacer.Server.Lanes;

/// <summary>
/// A change to a lane's limits, in pacer.yaml's words: <c>concurrency</c>, <c>rps</c>, <c>rpm</c>,
/// <c>burst</c>, <c>tpm</c>. A field left out keeps its value; <c>null</c> removes the limit.
/// Giving <c>rps</c> or <c>rpm</c> replaces the lane's request rates with those given.
/// </summary>
internal sealed class LaneChangeRequest
{
    private static readonly string[] s_fields = ["concurrency", "rps", "rpm", "burst", "tpm"];

    private readonly Dictionary<string, long?> _given = new(StringComparer.Ordinal);

    /// <summary>Reads a change; the error names the field at fault.</summary>
    public static LaneChangeRequest? Read(JsonElement body, out string? error, out string? field)
    {
        error = null;
        field = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = $"The body must be a JSON object of limits ({string.Join(", ", s_fields)}), got {body.ValueKind.ToString().ToLowerInvariant()}.";
            field = "body";
            return null;
        }

        var change = new LaneChangeRequest();
        foreach (JsonProperty property in body.EnumerateObject())
        {
            if (!s_fields.Contains(property.Name, StringComparer.Ordinal))
            {
                error = $"'{property.Name}' is not a limit that can be changed; give {string.Join(", ", s_fields)}.";
                field = property.Name;
                return null;
            }

            long min = property.Name == "burst" ? 0 : 1;
            if (property.Value.ValueKind == JsonValueKind.Null && property.Name != "burst")
            {
                change._given[property.Name] = null;
            }
            else if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out long value) && value >= min && value <= (property.Name == "concurrency" ? int.MaxValue : long.MaxValue / 2))
            {
                change._given[property.Name] = value;
            }
            else
            {
                error = $"'{property.Name}' must be a whole number from {min}{(property.Name == "burst" ? "" : ", or null to remove the limit")}, got {property.Value.GetRawText()}.";
                field = property.Name;
                return null;
            }
        }

        if (change._given.Count == 0)
        {
            error = $"The body changes nothing; give one of {string.Join(", ", s_fields)}.";
            field = "body";
            return null;
        }

        return change;
    }

    public LaneOptions ApplyTo(LaneOptions current)
    {
        long? burst = _given.TryGetValue("burst", out long? b) ? Math.Max(1, b!.Value) : null;
        IList<RateLimit> rates = current.Rates;
        if (_given.ContainsKey("rps") || _given.ContainsKey("rpm"))
        {
            long keepBurst = burst ?? (rates.Count > 0 ? rates[0].Burst : 1);
            rates = [];
            if (_given.GetValueOrDefault("rps") is { } rps)
            {
                rates.Add(RateLimit.PerSecond(rps, keepBurst));
            }

            if (_given.GetValueOrDefault("rpm") is { } rpm)
            {
                rates.Add(RateLimit.PerMinute(rpm, keepBurst));
            }
        }
        else if (burst is { } newBurst)
        {
            rates = [.. rates.Select(r => r with { Burst = newBurst })];
        }

        IList<RateLimit> costRates = current.CostRates;
        if (_given.TryGetValue("tpm", out long? tpm))
        {
            // A second's worth of tokens may start at once, as pacer.yaml's tpm.
            costRates = tpm is { } perMinute ? [RateLimit.PerMinute(perMinute, Math.Max(1, perMinute / 60))] : [];
        }

        return new LaneOptions
        {
            MaxConcurrency = _given.TryGetValue("concurrency", out long? concurrency) ? (int?)concurrency : current.MaxConcurrency,
            Rates = rates,
            CostRates = costRates,
            PeriodMargin = current.PeriodMargin,
            MaxPause = current.MaxPause,
            Quota = current.Quota,
            Adaptive = current.Adaptive,
            CircuitBreaker = current.CircuitBreaker,
        };
    }
}
