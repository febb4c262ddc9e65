using System.Globalization;
using System.Numerics;
using Pacer.Shared;

namespace Pacer.Cli.Config;

/// <summary>
/// A rate as <c>pacer.yaml</c> writes it: a number of requests (or tokens) per second or per
/// minute, whole or with up to <see cref="MaxDecimals"/> decimals. It becomes the engine's exact
/// <see cref="RateLimit"/> with no rounding: 0.5 per second is 1 per 2 s, 2.5 per second 5 per 2 s,
/// 0.333 per second 333 per 1,000 s.
/// </summary>
internal sealed record RateSetting(decimal Value, RateUnit Unit)
{
    /// <summary>The most decimals a rate may have; three keep every rate exact as whole permits per at most 1,000 periods.</summary>
    public const int MaxDecimals = 3;

    /// <summary>The largest rate: far above any service's, and small enough that its permits per 1,000 periods fit a long.</summary>
    public const decimal MaxValue = 1_000_000_000_000m;

    /// <summary>The engine's limit: the rate as whole permits per the shortest whole number of periods, with <paramref name="burst"/>.</summary>
    public RateLimit ToLimit(long burst)
    {
        (long permits, long periods) = Fraction();
        return new RateLimit(permits, Period * periods, burst);
    }

    /// <summary>The period the rate is written per: a second or a minute.</summary>
    public TimeSpan Period => Unit == RateUnit.PerMinute || Unit == RateUnit.TokensPerMinute ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(1);

    /// <summary>As <c>pacer validate</c> shows it: <c>20/s</c>, <c>500/min</c>, <c>60,000 tokens/min</c>; a fractional rate adds what it keeps (<c>0.5/s, 1 every 2s</c>).</summary>
    public override string ToString()
    {
        string unit = Unit switch { RateUnit.PerSecond => "/s", RateUnit.PerMinute => "/min", _ => " tokens/min" };
        string text = Format(Value) + unit;
        (long permits, long periods) = Fraction();
        return periods == 1 ? text : $"{text}, {Format(permits)} every {DurationSyntax.Format(Period * periods)}";
    }

    /// <summary>Whole numbers with thousands separators, decimals as written: 60,000 or 0.5.</summary>
    public static string Format(decimal value) => value.ToString("#,0.###", CultureInfo.InvariantCulture);

    /// <summary>Value = permits ÷ periods, in lowest terms.</summary>
    private (long Permits, long Periods) Fraction()
    {
        const long scale = 1000; // 10^MaxDecimals
        var scaled = (BigInteger)(Value * scale);
        var divisor = BigInteger.GreatestCommonDivisor(scaled, scale);
        return ((long)(scaled / divisor), (long)(scale / divisor));
    }
}
