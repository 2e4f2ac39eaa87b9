namespace Dit.Referrals;

public sealed class ReferralsDatabase(IConfiguration configuration)
    : ServiceDatabase(configuration, "Referrals", "data/referrals.db");
