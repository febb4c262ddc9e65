using System.Globalization;
using Pacer.Shared;

namespace Pacer.Cli.Config;

/// <summary>
/// <c>quota:</c> in pacer.yaml: <see cref="Limit"/> requests a day (from midnight UTC), or every
/// <see cref="Every"/>; when spent, the lane's requests wait for the refill.
/// </summary>
/// <param name="Limit">Requests each refill allows.</param>
/// <param name="Every">How often it refills; null: each day at midnight UTC.</param>
internal sealed record QuotaSetting(long Limit, TimeSpan? Every)
{
    /// <summary>What the engine keeps.</summary>
    public QuotaOptions ToOptions() => Every is { } every
        ? new QuotaOptions { Limit = Limit, RefillEvery = every }
        : new QuotaOptions { Limit = Limit, ResetAtUtc = TimeOnly.MinValue };

    /// <summary>As <c>pacer validate</c> lists it: "1,000 a day (from midnight UTC)", "100 every 1h".</summary>
    public override string ToString() => Every is { } every
        ? string.Create(CultureInfo.InvariantCulture, $"quota {Limit:#,0} every {DurationSyntax.Format(every)}")
        : string.Create(CultureInfo.InvariantCulture, $"quota {Limit:#,0} a day (from midnight UTC)");
}
