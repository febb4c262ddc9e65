namespace Pacer.Cli.Progress;

/// <summary>
/// The live view's lane table as lines of plain text, laid out once for a run so that its width never
/// changes between frames: columns of fixed width within the terminal's width (80 columns and up),
/// a lane name or a state too long for its column cut with <c>…</c>, and the limit column left out
/// below 80 columns. Bars read without colour: <c>█</c> done, <c>░</c> to do, <c>·</c> not yet read.
/// </summary>
internal sealed class LaneTable
{
    public const int BarWidth = 8;
    private const int ActiveWidth = 7;
    private const int RateWidth = 8;
    private const int LimitWidth = 14;
    private const int CountWidth = 11;
    private const int MinStateWidth = 12;

    private readonly int _nameWidth;
    private readonly bool _showLimit;
    private readonly int _stateWidth;

    /// <param name="names">The run's lanes, in the order they are shown.</param>
    /// <param name="width">The terminal's width; the table never passes it (nor 80 columns less than it).</param>
    public LaneTable(IEnumerable<string> names, int width)
    {
        Width = Math.Max(width, 60);
        _nameWidth = Math.Clamp(names.Select(n => n.Length).DefaultIfEmpty(4).Max(), 4, 18);
        int fixedWidth = _nameWidth + ActiveWidth + RateWidth + BarWidth + 1 + CountWidth + 5;
        _showLimit = Width - fixedWidth - LimitWidth - 1 >= MinStateWidth;
        _stateWidth = Math.Max(MinStateWidth, Width - fixedWidth - (_showLimit ? LimitWidth + 1 : 0));
    }

    /// <summary>The most columns a line takes.</summary>
    public int Width { get; }

    public string Header() => Row("lane", "active", "rate now", "limit", new string(' ', BarWidth) + " " + "done".PadLeft(CountWidth), "state");

    /// <summary>One lane's row; <paramref name="totalKnown"/>: the lane's share of the input is all read.</summary>
    public string Lane(LaneLine line, bool totalKnown) =>
        Row(line.Name, line.Active, line.RateNow, line.Limit, Bar(line.DoneFraction, BarWidth, totalKnown) + " " + Fit(line.Done, CountWidth, left: false), line.State);

    /// <summary>A bar of <paramref name="width"/> cells: done <c>█</c>, to do <c>░</c>, or <c>·</c> while the total is not known.</summary>
    public static string Bar(double fraction, int width, bool totalKnown)
    {
        int filled = Math.Clamp((int)(width * fraction), 0, width);
        return new string('█', filled) + new string(totalKnown ? '░' : '·', width - filled);
    }

    private string Row(string name, string active, string rate, string limit, string done, string state)
    {
        string row = Fit(name, _nameWidth, left: true) + " " + Fit(active, ActiveWidth, left: false) + " " + Fit(rate, RateWidth, left: false) + " "
            + (_showLimit ? Fit(limit, LimitWidth, left: false) + " " : "")
            + done + " " + Fit(state, _stateWidth, left: true);
        return row.TrimEnd();
    }

    /// <summary><paramref name="text"/> in exactly <paramref name="width"/> columns: padded, or cut with <c>…</c>.</summary>
    private static string Fit(string text, int width, bool left) =>
        text.Length > width ? text[..(width - 1)] + "…" : left ? text.PadRight(width) : text.PadLeft(width);
}
