namespace Pacer.Simulator;

/// <summary>One page of one level of the listing: the parent (project or suite), and the window asked for.</summary>
/// <param name="ParentId">The project of suites, or the suite of cases; zero for projects.</param>
/// <param name="Total">How many items the level holds.</param>
/// <param name="Offset">Index of the first item; may be past the end (an empty page).</param>
/// <param name="Limit">The most items on the page.</param>
internal sealed record PageRequest(long ParentId, long Total, long Offset, int Limit)
{
    /// <summary>How many items the page holds.</summary>
    public int Count => (int)Math.Clamp(Total - Offset, 0, Limit);
}
