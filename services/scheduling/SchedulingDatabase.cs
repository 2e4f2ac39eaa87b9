namespace Dit.Scheduling;

public sealed class SchedulingDatabase(IConfiguration configuration)
    : ServiceDatabase(configuration, "Scheduling", "data/scheduling.db");
