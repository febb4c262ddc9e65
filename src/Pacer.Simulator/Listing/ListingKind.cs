namespace Pacer.Simulator;

/// <summary>The three levels of the paginated listing.</summary>
internal enum ListingKind
{
    /// <summary><c>GET /api/projects</c>.</summary>
    Projects,

    /// <summary><c>GET /api/projects/{id}/suites</c>.</summary>
    Suites,

    /// <summary><c>GET /api/suites/{id}/cases</c>.</summary>
    Cases,
}
