namespace Pacer.Simulator;

/// <summary>
/// The content of the paginated listing, computed on demand from the seed: nothing is stored, so
/// large listings cost no memory, and the same seed and sizes always give the same items.
/// Projects have ids 1..P; project p holds suites (p-1)·S+1 .. p·S; case i (from 0) of suite s has
/// id s·1,000,000 + i + 1.
/// </summary>
internal sealed class ListingCatalog(ListingOptions options, int seed)
{
    private const long CaseIdsPerSuite = 1_000_000;

    private static readonly string[] s_verbs = ["Verify", "Check", "Create", "Delete", "Update", "Export", "Import", "Search", "Sort", "Filter"];
    private static readonly string[] s_subjects = ["login", "invoice", "report", "user profile", "order", "payment", "dashboard", "comment", "attachment", "webhook"];
    private static readonly string[] s_conditions = ["with valid input", "with empty fields", "as an admin", "as a guest", "after timeout", "on slow network", "with unicode text", "in bulk", "twice in a row", "after restart"];
    private static readonly string[] s_priorities = ["low", "medium", "high", "critical"];

    public ListingOptions Options => options;

    public int ProjectCount => options.Projects;

    public bool HasProject(long projectId) => projectId >= 1 && projectId <= options.Projects;

    public long FirstSuiteOf(long projectId) => ((projectId - 1) * options.SuitesPerProject) + 1;

    public bool TryGetProjectOfSuite(long suiteId, out long projectId)
    {
        projectId = 0;
        long suites = (long)options.Projects * options.SuitesPerProject;
        if (suiteId < 1 || suiteId > suites)
        {
            return false;
        }

        projectId = ((suiteId - 1) / options.SuitesPerProject) + 1;
        return true;
    }

    public static string ProjectName(long projectId) => $"Project {projectId}";

    public string SuiteName(long suiteId) => $"Suite {suiteId}: {s_subjects[(int)(Mix(suiteId, 1) % (ulong)s_subjects.Length)]}";

    public int CaseCountOf(long suiteId)
    {
        ulong span = (ulong)(options.MaxCasesPerSuite - options.MinCasesPerSuite) + 1;
        return options.MinCasesPerSuite + (int)(Mix(suiteId, 2) % span);
    }

    public static long CaseId(long suiteId, int index) => (suiteId * CaseIdsPerSuite) + index + 1;

    public string CaseTitle(long suiteId, int index)
    {
        ulong h = Mix(CaseId(suiteId, index), 3);
        return $"{s_verbs[(int)(h % 10)]} {s_subjects[(int)(h / 10 % 10)]} {s_conditions[(int)(h / 100 % 10)]}";
    }

    public string CasePriority(long suiteId, int index) =>
        s_priorities[(int)(Mix(CaseId(suiteId, index), 4) % (ulong)s_priorities.Length)];

    /// <summary>SplitMix64 over the seed, a value and a purpose: stable across runs and platforms.</summary>
    private ulong Mix(long value, int purpose)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)value * 0xBF58476D1CE4E5B9UL + (ulong)purpose * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
