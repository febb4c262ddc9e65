namespace Pacer.Simulator;

/// <summary>
/// Reads the value of <c>--rule</c>: <c>key=K,route=R,rpm=N,rps=N,tpm=N,concurrency=N</c>, every part
/// optional, into a <see cref="LimitRule"/>. Whether the rule makes sense is checked with the options.
/// </summary>
internal static class LimitRuleSpec
{
    /// <exception cref="FormatException">A part is not <c>name=value</c>, is unknown, or has a malformed value.</exception>
    public static LimitRule Parse(string flag, string spec)
    {
        var rule = new LimitRule();
        foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"{flag} '{spec}': '{part}' must be name=value.");
            }

            string name = part[..equals];
            string value = part[(equals + 1)..];
            string field = $"{flag} {name}";
            switch (name)
            {
                case "key": rule.ApiKey = value; break;
                case "route":
                    rule.Route = SimulatorRouteNames.TryParse(value, out var route)
                        ? route
                        : throw new FormatException($"{field} must be one of {SimulatorRouteNames.AllNames}, got '{value}'.");
                    break;
                case "rpm": rule.Limits.RequestsPerMinute = FlagValues.Int(field, value); break;
                case "rps": rule.Limits.RequestsPerSecond = FlagValues.Int(field, value); break;
                case "tpm": rule.Limits.TokensPerMinute = FlagValues.Int(field, value); break;
                case "concurrency": rule.Limits.MaxConcurrency = FlagValues.Int(field, value); break;
                default: throw new FormatException($"{flag} '{spec}': unknown part '{name}'; use key, route, rpm, rps, tpm or concurrency.");
            }
        }

        return rule;
    }
}
