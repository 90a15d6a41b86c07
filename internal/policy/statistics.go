package policy

// statistics is the alias of StatisticsService in the table.
const statistics = "/temubisnis.v1.StatisticsService/"

// The programme's figures are the trade office's (and a reporting service
// account's, when granted): they aggregate every firm's deals.
var statisticsRules = map[string]rule{
	statistics + "GetExportStatistics":      {grantable: true},
	statistics + "DownloadExportStatistics": {grantable: true},
	statistics + "RenderExportChart":        {grantable: true},
}

func init() {
	for m, r := range statisticsRules {
		table[m] = r
	}
}
