package requirement

import (
	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// HS prefixes of the seed catalogue, from the HS table of FACTS.md.
const (
	hsKoi      = "030111" // live ornamental freshwater fish
	hsLiveFish = "0301"   // all live fish: the rules that are not koi-specific
	hsPlants   = "0602"   // other live plants
	hsSambal   = "210390" // other sauces: US ruling NY 885948 (peanut sauce mix)
	hsDjembe   = "9206"   // percussion instruments
	idPrefix   = "requirements/"
)

// Authorities, sources and filing channels the rows share.
const (
	barantin     = "Barantin"
	usdaAPHIS    = "USDA APHIS"
	usfws        = "US Fish and Wildlife Service"
	usFDA        = "US FDA"
	maff         = "Japan's MAFF"
	hkCFS        = "Hong Kong's Centre for Food Safety"
	kemendag     = "Kemendag (Ministry of Trade)"
	aphisFish    = `USDA APHIS, "Import - Live Fish"`
	aphisFishURI = "https://www.aphis.usda.gov/live-animal-import/live-fish"
	aphisPlants  = "USDA APHIS, Plants for Planting FAQ"
	maffKoi      = "MAFF, import quarantine of live aquatic animals (koi: SVC, KHV disease, enteric redmouth)"
	maffKoiURI   = "https://www.maff.go.jp/j/syouan/suisan/suisan_boueki/"
	ippcISPM15   = "IPPC, ISPM 15: Regulation of wood packaging material in international trade"
	ptkOnline    = "PTK Online or SSM Ekspor (INSW)"
	// East Java's quarantine office publishes its service standard for
	// export health certificates (KI-1 for fish, KT-1 for plants).
	bkhitJatim    = "BKHIT Jawa Timur (Barantin), service standard for export health certification (KI-1, KT-1); BKIPM export procedure"
	bkhitJatimURI = "https://sippn.menpan.go.id/pelayanan-publik/8310841/balai-karantina-hewan-ikan-dan-tumbuhan-jawa-timur/sertifikasi-kesehatan-pengeluaran-media-pembawa-dari-wilayah-negara-kesatuan-republik-indonesia-ekspor"
	// quarantineDays is how early to apply for KI-1 or KT-1: the rule is at
	// least one day before the goods leave; the service takes a day for low
	// risk and one to three for medium risk.
	quarantineDays = 3
)

// Conditions of the rows that bind only some shipments.
const (
	solidWood    = "the goods are packed in or on solid wood (crates, pallets, dunnage) thicker than 6 mm"
	untannedHide = "the drum heads are untanned (raw) goatskin"
	citesSpecies = "the species is listed in the CITES appendices"
)

// lastAudit is when every seed row was last checked against its source:
// the domain audit of December 2026 (shared/domain/AUDIT-2026-12.md).
var lastAudit = [3]int32{2026, 12, 1}

func audited() *date.Date {
	return &date.Date{Year: lastAudit[0], Month: lastAudit[1], Day: lastAudit[2]}
}

// Certification type codes the catalogue introduces, for documents that the
// demo producers do not hold. The codes the demo data already uses (CKIB,
// ISPM15, SVLK, PIRT, BPOM_MD and, on the buyers' side,
// USDA_APHIS_VS_17_129, USDA_PPQ_587, HK_FOOD_IMPORTER) are reused as they
// are, so that a certificate on file meets its row.
//
// Per-shipment documents have codes too (typeFishHealth, PHYTOSANITARY,
// typeVLegal ...): they name the document on a shipment's checklist, and no
// producer holds one on file; see Issuance.
const (
	typeFishHealth       = "FISH_HEALTH_CERTIFICATE"
	typePhytosanitary    = "PHYTOSANITARY"
	typeJPFishHealth     = "JP_FISH_HEALTH_CERTIFICATE"
	typeJPRegisteredFarm = "JP_REGISTERED_FARM"
	typeJPKoiPermit      = "JP_MAFF_KOI_IMPORT_PERMIT"
	typeUSFWSLicence     = "USFWS_IMPORT_LICENSE"
	typeCITESExport      = "CITES_EXPORT_PERMIT"
	typeUSPPQ621         = "USDA_PPQ_621"
	// The soil-free, NAPPRA and Hong Kong label rows have no document of
	// their own; the trade office records its check of the producer's
	// packing, species list or label under these codes, so that the check,
	// not a guess, decides whether the row is met.
	typeUSSoilFreeCheck = "US_SOIL_FREE_CHECK"
	typeUSNAPPRACheck   = "US_NAPPRA_CHECK"
	typeHKLabelCheck    = "HK_FOOD_LABEL_CHECK"
	typeTWLabelCheck    = "TW_FOOD_LABEL_CHECK"
	typeFoodHealth      = "FOOD_HEALTH_CERTIFICATE"
	typeAflatoxinTest   = "AFLATOXIN_TEST"
	typeCNGACC          = "CN_GACC_REGISTRATION"
	typeFDAFacility     = "FDA_FOOD_FACILITY"
	typeFDAAcidified    = "FDA_FCE_SID"
	typeVeterinary      = "VETERINARY_CERTIFICATE"
	typeTannedHide      = "TANNED_HIDE_DECLARATION"
	typeVLegal          = "V_LEGAL"
	typeISPM15Mark      = "ISPM15_MARK"
	typeSKA             = "SKA"
	typePEB             = "PEB"
)

// Catalogue returns the seed catalogue written from FACTS.md and corrected
// by the December 2026 audit: names set ("requirements/koi-us-aphis-permit"
// etc.), confirmation, issuance and last-checked date set, output-only
// fields empty. Every call builds new messages, so callers may change them
// freely.
//
// Choices made in writing it, each also said in the row's text:
//
//   - Permits that a US, Japanese or Hong Kong authority issues to the
//     importer (APHIS VS 17-129, PPQ 587, PPQ 621, the MAFF koi permit, the
//     USFWS licence, the Hong Kong importer registration) are IMPORTER rows:
//     a Blitar firm cannot obtain them. Declarations filed at entry (FDA
//     Prior Notice, USFWS Form 3-177, the Lacey Act PPQ 505) are IMPORTER
//     rows too.
//   - Papers issued for each consignment (KI-1, phytosanitary certificate,
//     V-Legal, BPOM's SKE, PEB, SKA) are PER_SHIPMENT: the readiness check
//     asks whether the firm can obtain them (what it must hold first is in
//     prerequisite_certification_types), never whether it holds one.
//   - Rules that bind only some shipments (solid-wood packaging, untanned
//     goatskin heads, CITES-listed species) carry their condition and never
//     lower a readiness score.
//   - Where the audit found no source that settles a rule (Japan's health
//     conditions for Indonesian koi, CKIB, SVLK for HS 9206, goatskin rules
//     outside the US, acidified food, Taiwan's and China's food rules), the
//     row is TO_VERIFY; where it is
//     unsure that the rule applies at all it is RECOMMENDED as well.
//   - Rules that hold for every live fish (KI-1, CKIB, USFWS) use "0301",
//     the koi-specific ones "030111"; food rules that do not depend on the
//     HS code are category-only.
//   - Rules for any product (ISPM 15, PEB, SKA) are one row per category,
//     because a row must name a category or an HS prefix.
func Catalogue() []*pb.Requirement {
	var all []*pb.Requirement
	for _, group := range [][]*pb.Requirement{
		koiRows(),
		plantRows(),
		foodRows(),
		djembeRows(),
		packagingRows(),
		originRows(),
	} {
		all = append(all, group...)
	}
	for _, r := range all {
		if r.Issuance == pb.Requirement_ISSUANCE_UNSPECIFIED {
			r.Issuance = pb.Requirement_HELD
		}
		if r.LastCheckedDate == nil {
			r.LastCheckedDate = audited()
		}
	}
	return all
}

func koiRows() []*pb.Requirement {
	return []*pb.Requirement{
		{
			Name:                   idPrefix + "koi-us-aphis-permit",
			Title:                  "US import permit for koi (USDA APHIS VS 17-129)",
			HsPrefix:               hsKoi,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_PERMIT,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Issuance:               pb.Requirement_HELD,
			Authority:              usdaAPHIS,
			Document:               "permit VS 17-129",
			CertificationType:      "USDA_APHIS_VS_17_129",
			// 7 to 10 business days: two calendar weeks.
			TypicalLeadTimeDays: leadDays(14),
			ExplanationEn: "Koi are one of the carp species the United States watches for spring viremia of carp (SVC), " +
				"so they may enter only under an APHIS import permit applied for on form VS 17-129; allow 7 to 10 business days for it. " +
				"The permit belongs to the party bringing the fish into the US, so the buyer applies; the Blitar exporter supplies " +
				"the shipment details the form asks for (exporter, dates, number of fish, route) and should hold a copy before the fish leave.",
			ExplanationId: "Koi termasuk jenis ikan mas yang diawasi Amerika Serikat terkait penyakit spring viremia of carp (SVC), " +
				"sehingga hanya boleh masuk dengan izin impor APHIS yang diajukan melalui formulir VS 17-129; prosesnya 7 sampai 10 hari kerja. " +
				"Izin ini milik pihak yang memasukkan ikan ke AS, jadi pembelilah yang mengajukan; eksportir Blitar menyiapkan " +
				"data pengiriman yang diminta formulir (eksportir, tanggal, jumlah ikan, rute) dan sebaiknya memegang salinannya sebelum ikan diberangkatkan.",
			SourceTitle:     aphisFish,
			SourceUri:       aphisFishURI,
			Confirmation:    pb.Requirement_CONFIRMED,
			LastCheckedDate: audited(),
		},
		{
			Name:                   idPrefix + "koi-us-port-notice",
			Title:                  "Koi enter the US at a designated port, with 72 hours' notice to the port veterinarian",
			HsPrefix:               hsKoi,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_DECLARATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Authority:              usdaAPHIS,
			Document:               "advance notice of arrival to the APHIS port veterinarian",
			ExplanationEn: "Koi under an APHIS permit may arrive only through a port of entry designated for them, where a veterinary inspector examines the fish, " +
				"and the port veterinarian must be told at least 72 hours ahead. The importer gives the notice; agree the airport and the flight with the buyer before booking.",
			ExplanationId: "Koi dengan izin APHIS hanya boleh masuk lewat pelabuhan masuk yang ditetapkan, tempat petugas veteriner memeriksa ikan, " +
				"dan dokter hewan pelabuhan harus diberi tahu paling lambat 72 jam sebelumnya. Importir yang memberi tahu; sepakati bandara dan penerbangan dengan pembeli sebelum memesan.",
			SourceTitle:     aphisFish + "; 9 CFR 93.906",
			SourceUri:       "https://www.ecfr.gov/current/title-9/section-93.906",
			Confirmation:    pb.Requirement_CONFIRMED,
			LastCheckedDate: audited(),
		},
		{
			Name:                   idPrefix + "koi-us-health-certificate",
			Title:                  "Veterinary health certificate for each koi consignment to the US",
			HsPrefix:               hsKoi,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_CERTIFICATE,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Authority:              barantin,
			Document:               "veterinary health certificate for live fish",
			CertificationType:      typeFishHealth,
			FilingChannel:          ptkOnline,
			ExplanationEn: "Besides the permit, APHIS admits koi only with a health certificate signed by a full-time veterinary officer " +
				"or the competent authority of the exporting country. For Indonesia that is Barantin, the national quarantine agency. " +
				"It is issued for each consignment and travels with the fish.",
			ExplanationId: "Selain izin, APHIS hanya menerima koi yang disertai sertifikat kesehatan yang ditandatangani dokter hewan pemerintah " +
				"atau otoritas berwenang negara asal. Untuk Indonesia otoritas itu adalah Barantin (Badan Karantina Indonesia). " +
				"Sertifikat diterbitkan untuk setiap kiriman dan dikirim bersama ikan.",
			SourceTitle:     aphisFish,
			SourceUri:       aphisFishURI,
			Confirmation:    pb.Requirement_CONFIRMED,
			LastCheckedDate: audited(),
		},
		{
			Name:                   idPrefix + "fish-us-usfws-declaration",
			Title:                  "USFWS wildlife declaration (Form 3-177) at a designated port",
			HsPrefix:               hsLiveFish,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_DECLARATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Authority:              usfws,
			Document:               "Form 3-177 declaration",
			ExplanationEn: "To the US Fish and Wildlife Service live fish are wildlife: the importer or its customs broker declares each shipment on Form 3-177, " +
				"and it has to arrive through a port designated for wildlife. Agree the airport of arrival with the buyer before booking the flight.",
			ExplanationId: "Bagi US Fish and Wildlife Service, ikan hidup termasuk satwa liar: importir atau agen kepabeanannya mendeklarasikan setiap kiriman dengan Formulir 3-177, " +
				"dan kiriman harus masuk lewat pelabuhan yang ditetapkan untuk satwa liar. Sepakati bandara tujuan dengan pembeli sebelum memesan penerbangan.",
			SourceTitle:     "USFWS, 50 CFR part 14 (importation of wildlife: Form 3-177, designated ports)",
			SourceUri:       "https://www.ecfr.gov/current/title-50/part-14",
			Confirmation:    pb.Requirement_CONFIRMED,
			LastCheckedDate: audited(),
		},
		{
			Name:                   idPrefix + "fish-us-usfws-licence",
			Title:                  "USFWS import/export licence of the commercial importer",
			HsPrefix:               hsLiveFish,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_PERMIT,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Issuance:               pb.Requirement_HELD,
			Authority:              usfws,
			Document:               "USFWS import/export licence (50 CFR 14.91)",
			CertificationType:      typeUSFWSLicence,
			ExplanationEn: "A firm that imports wildlife, live fish included, into the US as a business needs an import/export licence from the Fish and Wildlife Service. " +
				"It is the buyer's duty; a buyer without one cannot clear the fish.",
			ExplanationId: "Perusahaan yang mengimpor satwa liar, termasuk ikan hidup, ke AS sebagai usaha memerlukan lisensi impor/ekspor dari Fish and Wildlife Service. " +
				"Ini kewajiban pembeli; pembeli tanpa lisensi tidak dapat mengeluarkan ikan dari pelabuhan.",
			SourceTitle:     "USFWS, 50 CFR 14.91 (import/export licence)",
			SourceUri:       "https://www.ecfr.gov/current/title-50/section-14.91",
			Confirmation:    pb.Requirement_CONFIRMED,
			LastCheckedDate: audited(),
		},
		{
			Name:                   idPrefix + "koi-jp-import-permit",
			Title:                  "Japan's import permit for koi (MAFF), before the fish arrive",
			HsPrefix:               hsKoi,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "JP",
			Kind:                   pb.Requirement_PERMIT,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Authority:              maff,
			Document:               "MAFF import permit for koi (Act on the Protection of Fishery Resources)",
			CertificationType:      typeJPKoiPermit,
			ExplanationEn: "Japan lists koi (こい) among the live aquatic animals that need an import permit from its fisheries ministry (MAFF) under the Act on the Protection of Fishery Resources. " +
				"The importer applies before the fish arrive; no permit, no entry.",
			ExplanationId: "Jepang memasukkan koi (こい) dalam daftar hewan air hidup yang memerlukan izin impor dari kementerian perikanannya (MAFF) berdasarkan Undang-Undang Perlindungan Sumber Daya Perikanan. " +
				"Importir mengajukannya sebelum ikan tiba; tanpa izin, ikan tidak boleh masuk.",
			SourceTitle:     maffKoi,
			SourceUri:       maffKoiURI,
			Confirmation:    pb.Requirement_CONFIRMED,
			LastCheckedDate: audited(),
		},
		{
			Name:                           idPrefix + "koi-jp-health-conditions",
			Title:                          "Koi to Japan: health certificate under health conditions agreed with Japan (none found for Indonesia)",
			HsPrefix:                       hsKoi,
			Category:                       pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode:         "JP",
			Kind:                           pb.Requirement_CERTIFICATE,
			Obligation:                     pb.Requirement_MANDATORY,
			ResponsibleParty:               pb.Requirement_EXPORTER,
			Issuance:                       pb.Requirement_PER_SHIPMENT,
			Authority:                      barantin + " under health conditions agreed with " + maff,
			Document:                       "health certificate in the format agreed with Japan (spring viremia of carp, KHV disease, enteric redmouth)",
			CertificationType:              typeJPFishHealth,
			PrerequisiteCertificationTypes: []string{typeJPRegisteredFarm},
			FilingChannel:                  ptkOnline,
			ExplanationEn: "Japan admits koi only from countries with which it has agreed health conditions, and only with a health certificate of the exporting country " +
				"stating freedom from the diseases MAFF targets for koi: spring viremia of carp (SVC), koi herpesvirus (KHV) disease and enteric redmouth. " +
				"No agreed health conditions for Indonesian koi were found, so whether Blitar koi can be shipped to Japan at all is unconfirmed.",
			ExplanationId: "Jepang hanya menerima koi dari negara yang telah menyepakati persyaratan kesehatan dengannya, dan hanya dengan sertifikat kesehatan dari negara asal " +
				"yang menyatakan bebas dari penyakit yang ditetapkan MAFF untuk koi: spring viremia of carp (SVC), penyakit koi herpesvirus (KHV), dan enteric redmouth. " +
				"Persyaratan kesehatan yang disepakati untuk koi Indonesia tidak ditemukan, sehingga belum pasti apakah koi Blitar dapat dikirim ke Jepang.",
			SourceTitle:  maffKoi,
			SourceUri:    maffKoiURI,
			Confirmation: pb.Requirement_TO_VERIFY,
			VerificationNote: "Ask MAFF (Animal Quarantine Service) and Barantin whether Japan has agreed health conditions and a certificate format for koi from Indonesia; " +
				"if not, the market is closed to Indonesian koi. If it has, record which farms are registered for it.",
			LastCheckedDate: audited(),
		},
		{
			Name:                     idPrefix + "fish-exit-health-certificate",
			Title:                    "Fish health certificate from Barantin (KI-1), for each consignment",
			HsPrefix:                 hsLiveFish,
			Category:                 pb.Category_ORNAMENTAL_FISH,
			Kind:                     pb.Requirement_CERTIFICATE,
			Obligation:               pb.Requirement_MANDATORY,
			ResponsibleParty:         pb.Requirement_EXPORTER,
			Issuance:                 pb.Requirement_PER_SHIPMENT,
			Authority:                barantin,
			Document:                 "Health Certificate for Fish and Fish Product (KI-1)",
			CertificationType:        typeFishHealth,
			FilingChannel:            ptkOnline,
			ApplyDaysBeforeDeparture: leadDays(quarantineDays),
			ExplanationEn: "Live fish leave Indonesia only with Barantin's health certificate for fish (form KI-1), whatever the destination. " +
				"It is issued for one consignment: the exporter applies through PTK Online or SSM Ekspor (INSW) and Barantin examines the fish before issuing it. " +
				"Apply at least one day before the fish leave; the service takes a day for low-risk consignments and one to three days for medium risk, so apply three days ahead. " +
				"East Java's office asks for the packing list, invoice, air waybill, the farm's CKIB certificate and laboratory results with the application.",
			ExplanationId: "Ikan hidup hanya boleh keluar dari Indonesia dengan sertifikat kesehatan ikan dari Barantin (KI-1), ke mana pun tujuannya. " +
				"Sertifikat diterbitkan untuk satu kiriman: eksportir mengajukan melalui PTK Online atau SSM Ekspor (INSW) dan Barantin memeriksa ikan sebelum sertifikat terbit. " +
				"Ajukan paling lambat satu hari sebelum ikan dikeluarkan; layanan memerlukan satu hari untuk risiko rendah dan satu sampai tiga hari untuk risiko sedang, jadi ajukan tiga hari sebelumnya. " +
				"Kantor Jawa Timur meminta packing list, invoice, air waybill, sertifikat CKIB pembudidaya, dan hasil uji laboratorium bersama permohonan.",
			SourceTitle:     bkhitJatim,
			SourceUri:       bkhitJatimURI,
			Confirmation:    pb.Requirement_CONFIRMED,
			LastCheckedDate: audited(),
		},
		{
			Name:              idPrefix + "fish-exit-ckib",
			Title:             "CKIB certification of the farm (good fish-quarantine practice)",
			HsPrefix:          hsLiveFish,
			Category:          pb.Category_ORNAMENTAL_FISH,
			Kind:              pb.Requirement_CERTIFICATE,
			Obligation:        pb.Requirement_RECOMMENDED,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Issuance:          pb.Requirement_HELD,
			Authority:         barantin,
			Document:          "CKIB certificate",
			CertificationType: "CKIB",
			ExplanationEn: "Barantin certifies farms and holding facilities that follow good fish-quarantine practice (Cara Karantina Ikan yang Baik, CKIB) " +
				"and registers them with destination countries; about 900 exporters hold it. Buyers abroad often ask for fish from such a farm, " +
				"but no source shows that CKIB is a legal condition of every live-fish export.",
			ExplanationId: "Barantin memberikan sertifikat CKIB (Cara Karantina Ikan yang Baik) kepada pembudidaya dan instalasi yang menerapkannya " +
				"dan mendaftarkannya ke negara tujuan; sekitar 900 eksportir memilikinya. Pembeli di luar negeri sering meminta ikan dari pembudidaya tersebut, " +
				"tetapi tidak ada sumber yang menunjukkan bahwa CKIB menjadi syarat hukum setiap ekspor ikan hidup.",
			SourceTitle:  "ipol.id (2025), on CKIB-certified exporters",
			Confirmation: pb.Requirement_TO_VERIFY,
			VerificationNote: "Ask Barantin whether CKIB is required for any destination of Blitar koi (for example where the destination registers farms), " +
				"and make the row mandatory for those destinations only. East Java's quarantine office lists the CKIB certificate among the documents of an export " +
				"application (BKHIT Jawa Timur service standard), which suggests it is required in practice there.",
			LastCheckedDate: audited(),
		},
	}
}

func plantRows() []*pb.Requirement {
	// APHIS processes PPQ 587 and 621 applications in up to 30 business
	// days, about six calendar weeks.
	const permitDays = 42
	return []*pb.Requirement{
		{
			Name:                   idPrefix + "plants-us-ppq587-permit",
			Title:                  "US plant import permit (USDA APHIS PPQ 587)",
			HsPrefix:               hsPlants,
			Category:               pb.Category_ORNAMENTAL_PLANT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_PERMIT,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Authority:              usdaAPHIS,
			Document:               "permit PPQ 587",
			CertificationType:      "USDA_PPQ_587",
			TypicalLeadTimeDays:    leadDays(permitDays),
			ExplanationEn: "Plants for planting enter the US under a permit applied for on form PPQ 587, which the importer in the US holds. " +
				"APHIS may take up to 30 business days to process it and asks that nothing be shipped before it is issued. " +
				"Ask the buyer for a copy early: its conditions decide how the plants must be packed.",
			ExplanationId: "Tanaman untuk ditanam masuk AS dengan izin yang diajukan melalui formulir PPQ 587 dan dipegang oleh importir di AS. " +
				"APHIS dapat memerlukan hingga 30 hari kerja untuk memprosesnya dan meminta agar tidak ada pengiriman sebelum izin terbit. " +
				"Mintalah salinannya kepada pembeli sejak awal, karena syarat di dalamnya menentukan cara tanaman dikemas.",
			SourceTitle:  aphisPlants,
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                     idPrefix + "plants-us-phytosanitary",
			Title:                    "Phytosanitary certificate for each consignment of plants to the US",
			HsPrefix:                 hsPlants,
			Category:                 pb.Category_ORNAMENTAL_PLANT,
			DestinationCountryCode:   "US",
			Kind:                     pb.Requirement_CERTIFICATE,
			Obligation:               pb.Requirement_MANDATORY,
			ResponsibleParty:         pb.Requirement_EXPORTER,
			Issuance:                 pb.Requirement_PER_SHIPMENT,
			Authority:                barantin,
			Document:                 "phytosanitary certificate",
			CertificationType:        typePhytosanitary,
			FilingChannel:            ptkOnline,
			ApplyDaysBeforeDeparture: leadDays(quarantineDays),
			ExplanationEn: "Every consignment of plants needs its own phytosanitary certificate from Barantin, issued after an inspection finds the plants free of pests. " +
				"Apply through PTK Online or SSM Ekspor (INSW) at least one day before the plants leave, better three: the service takes one to three days for medium-risk consignments.",
			ExplanationId: "Setiap kiriman tanaman memerlukan sertifikat fitosanitari tersendiri dari Barantin, yang terbit setelah pemeriksaan menyatakan tanaman bebas organisme pengganggu. " +
				"Ajukan melalui PTK Online atau SSM Ekspor (INSW) paling lambat satu hari sebelum tanaman dikeluarkan, sebaiknya tiga hari: layanan memerlukan satu sampai tiga hari untuk risiko sedang.",
			SourceTitle:  aphisPlants + "; " + bkhitJatim,
			SourceUri:    bkhitJatimURI,
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "plants-us-cites-export-permit",
			Title:                  "CITES export permit for CITES-listed plant species",
			HsPrefix:               hsPlants,
			Category:               pb.Category_ORNAMENTAL_PLANT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_PERMIT,
			Obligation:             pb.Requirement_MANDATORY,
			Condition:              citesSpecies,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			FilingChannel:          "KLHK, Indonesia's CITES management authority",
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Authority:              "Indonesia's CITES management authority",
			Document:               "a CITES export permit",
			CertificationType:      typeCITESExport,
			ExplanationEn: "Only for species listed under CITES, orchids for example. Such plants need a CITES export permit from Indonesia besides the usual papers, " +
				"and the US buyer needs permit PPQ 621. The rule binds only listed species, which an HS code cannot tell from others, so it never lowers a readiness score: " +
				"check the species of each listing.",
			ExplanationId: "Hanya untuk jenis yang tercantum dalam CITES, misalnya anggrek. Tanaman tersebut memerlukan izin ekspor CITES dari Indonesia selain dokumen biasa, " +
				"dan pembeli di AS memerlukan izin PPQ 621. Aturan ini hanya mengikat jenis yang tercantum, yang tidak dapat dibedakan dari kode HS, sehingga tidak pernah menurunkan skor kesiapan: " +
				"periksa jenis tanaman pada setiap produk.",
			SourceTitle:  aphisPlants,
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "plants-us-ppq621-permit",
			Title:                  "US protected-plant permit for CITES species (USDA APHIS PPQ 621)",
			HsPrefix:               hsPlants,
			Category:               pb.Category_ORNAMENTAL_PLANT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_PERMIT,
			Obligation:             pb.Requirement_MANDATORY,
			Condition:              citesSpecies,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Authority:              usdaAPHIS,
			Document:               "permit PPQ 621",
			CertificationType:      typeUSPPQ621,
			TypicalLeadTimeDays:    leadDays(permitDays),
			ExplanationEn: "A US firm that imports CITES-listed plants as a business needs a protected-plant permit, applied for on form PPQ 621. " +
				"Like the CITES export permit, it matters only for listed species.",
			ExplanationId: "Perusahaan AS yang mengimpor tanaman yang tercantum dalam CITES sebagai usaha memerlukan izin tanaman dilindungi melalui formulir PPQ 621. " +
				"Seperti izin ekspor CITES, izin ini hanya berlaku untuk jenis yang tercantum.",
			SourceTitle:  aphisPlants,
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "plants-us-soil-free",
			Title:                  "Plants free of soil and growing media (US)",
			HsPrefix:               hsPlants,
			Category:               pb.Category_ORNAMENTAL_PLANT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_TREATMENT,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              usdaAPHIS,
			Document:               "bare-root packing free of soil and growing media",
			CertificationType:      typeUSSoilFreeCheck,
			ExplanationEn: "Plants must reach the US without soil or growing media. Growing media are allowed only for approved taxa, in approved media, " +
				"grown under an APHIS-approved programme (a bilateral workplan); Indonesia's growers are not known to have one. " +
				"Exempt are plants in agar (tissue culture in sterile flasks), epiphytes on coconut husk or fibre, and plants in new clay pots or new wooden baskets. " +
				"Otherwise wash the roots and pack bare-root. " +
				"The trade office records this certification type after checking the grower's packing.",
			ExplanationId: "Tanaman harus tiba di AS tanpa tanah atau media tanam. Media tanam hanya diizinkan untuk takson yang disetujui, dalam media yang disetujui, " +
				"dan dibudidayakan dalam program yang disetujui APHIS (rencana kerja bilateral); belum diketahui ada program seperti itu bagi pembudidaya Indonesia. " +
				"Dikecualikan: tanaman dalam agar (kultur jaringan dalam botol steril), epifit pada sabut kelapa, serta tanaman dalam pot tanah liat baru atau keranjang kayu baru. " +
				"Selain itu, cuci akar dan kemas tanpa media (bare-root). " +
				"Dinas mencatat jenis sertifikasi ini setelah memeriksa cara pengemasan pembudidaya.",
			SourceTitle:  `USDA APHIS, "Plants with Additional Requirements" and plants-for-planting guidance on growing media`,
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "plants-us-nappra",
			Title:                  "Species not yet admissible to the US (NAPPRA list)",
			HsPrefix:               hsPlants,
			Category:               pb.Category_ORNAMENTAL_PLANT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_OTHER,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              usdaAPHIS,
			Document:               "the NAPPRA list",
			CertificationType:      typeUSNAPPRACheck,
			ExplanationEn: "Some plant genera may not enter the US until APHIS has finished a pest risk analysis; they are on the NAPPRA list " +
				"(not authorized pending pest risk analysis). Check every species on offer against the list before taking an order. " +
				"The trade office records this certification type after checking the grower's species list.",
			ExplanationId: "Beberapa marga tanaman belum boleh masuk AS sampai APHIS menyelesaikan analisis risiko hama; marga itu tercantum dalam daftar NAPPRA " +
				"(not authorized pending pest risk analysis). Periksa setiap jenis yang ditawarkan terhadap daftar tersebut sebelum menerima pesanan. " +
				"Dinas mencatat jenis sertifikasi ini setelah memeriksa daftar jenis tanaman pembudidaya.",
			SourceTitle:  `USDA APHIS, "Plants with Additional Requirements"`,
			Confirmation: pb.Requirement_CONFIRMED,
		},
	}
}

func foodRows() []*pb.Requirement {
	return []*pb.Requirement{
		{
			Name:                   idPrefix + "food-hk-labelling",
			Title:                  "Hong Kong labelling of prepackaged food",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "HK",
			Kind:                   pb.Requirement_LABELLING,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              hkCFS,
			Document:               "the labelling rules of Cap. 132W",
			CertificationType:      typeHKLabelCheck,
			ExplanationEn: "Prepackaged food sold in Hong Kong is labelled in English or Chinese; a label that uses both must give the name and the ingredient list in both. " +
				"Allergens of eight classes must be named among the ingredients, and for sambal pecel that means peanuts. " +
				"A nutrition label with energy and seven core nutrients (\"1+7\") is also required, unless the product has the small-volume exemption: " +
				"a product selling no more than 30,000 units a year in Hong Kong may be exempted from the nutrition label on application to the Centre for Food Safety, " +
				"which suits a micro-producer's first shipments (allergens must still be declared). " +
				"The trade office records this certification type after checking the label.",
			ExplanationId: "Pangan kemasan yang dijual di Hong Kong diberi label berbahasa Inggris atau Tionghoa; label yang memakai keduanya harus memuat nama dan daftar bahan dalam kedua bahasa. " +
				"Bahan penyebab alergi dari delapan golongan wajib disebut dalam daftar bahan, dan untuk sambal pecel artinya kacang tanah. " +
				"Label gizi berisi energi dan tujuh zat gizi utama (\"1+7\") juga wajib, kecuali produk mendapat pembebasan volume kecil: " +
				"produk yang terjual tidak lebih dari 30.000 unit setahun di Hong Kong dapat dibebaskan dari label gizi dengan mengajukan permohonan ke Centre for Food Safety, " +
				"cocok untuk kiriman pertama produsen mikro (alergen tetap wajib dicantumkan). " +
				"Dinas mencatat jenis sertifikasi ini setelah memeriksa labelnya.",
			SourceTitle:  "Centre for Food Safety, labelling FAQ and small-volume exemption (Food and Drugs (Composition and Labelling) Regulations, Cap. 132W)",
			SourceUri:    "https://www.elegislation.gov.hk/hk/cap132W",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "food-hk-importer-registration",
			Title:                  "Hong Kong food importer registration (Cap. 612)",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "HK",
			Kind:                   pb.Requirement_REGISTRATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Authority:              hkCFS,
			Document:               "registration as a food importer (Cap. 612)",
			CertificationType:      "HK_FOOD_IMPORTER",
			ExplanationEn: "Under the Food Safety Ordinance (Cap. 612) anyone running a food import business in Hong Kong must be registered as a food importer, " +
				"for three years at a time. It is the buyer's duty; ask for its registration number before shipping.",
			ExplanationId: "Menurut Food Safety Ordinance (Cap. 612), setiap pelaku usaha impor pangan di Hong Kong wajib terdaftar sebagai importir pangan, " +
				"berlaku tiga tahun dan dapat diperpanjang. Ini kewajiban pembeli; mintalah nomor pendaftarannya sebelum mengirim.",
			SourceTitle:  "Centre for Food Safety, Food Safety Ordinance (Cap. 612) and the guide to its registration scheme",
			SourceUri:    "https://cfs.gov.hk/english/foodsafetyordinance/food_safety_ordinance.html",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                           idPrefix + "food-hk-health-certificate",
			Title:                          "BPOM export certificate (SKE) for food to Hong Kong (recommended)",
			Category:                       pb.Category_FOOD,
			DestinationCountryCode:         "HK",
			Kind:                           pb.Requirement_CERTIFICATE,
			Obligation:                     pb.Requirement_RECOMMENDED,
			ResponsibleParty:               pb.Requirement_EXPORTER,
			Issuance:                       pb.Requirement_PER_SHIPMENT,
			Authority:                      "BPOM",
			Document:                       "export certificate for processed food (SKE)",
			CertificationType:              typeFoodHealth,
			FilingChannel:                  "BPOM's online export-certificate service",
			ApplyDaysBeforeDeparture:       leadDays(3),
			PrerequisiteCertificationTypes: []string{"PIRT", "BPOM_MD"},
			ExplanationEn: "Hong Kong does not demand a health certificate for general food such as sauces, but it is advised and some buyers ask for one. " +
				"BPOM issues an export certificate (SKE) for each export, also for home-industry products registered as P-IRT, " +
				"against laboratory certificates of the batch; it takes one to two working days.",
			ExplanationId: "Hong Kong tidak mewajibkan sertifikat kesehatan untuk pangan umum seperti saus, tetapi sertifikat ini dianjurkan dan sebagian pembeli memintanya. " +
				"BPOM menerbitkan surat keterangan ekspor (SKE) untuk setiap ekspor, juga bagi produk industri rumah tangga yang terdaftar P-IRT, " +
				"berdasarkan sertifikat laboratorium batch tersebut; prosesnya satu sampai dua hari kerja.",
			SourceTitle:  "BPOM, Istana UMKM: ekspor pangan (SKE); USDA FAS GAIN report HK1830",
			SourceUri:    "https://istanaumkm.pom.go.id",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "sambal-hk-aflatoxin",
			Title:                  "Aflatoxin limit for peanut products in Hong Kong",
			HsPrefix:               hsSambal,
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "HK",
			Kind:                   pb.Requirement_OTHER,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			FilingChannel:          "an accredited food laboratory, for each batch",
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Authority:              hkCFS,
			Document:               "laboratory test of the batch for aflatoxin (at most 20 µg/kg)",
			CertificationType:      typeAflatoxinTest,
			ExplanationEn: "Food containing peanuts may hold at most 20 µg/kg of aflatoxin in Hong Kong (Cap. 132AF). Sambal pecel is mostly peanuts: " +
				"have each batch tested by an accredited laboratory and send the result with the shipment. Whether a stricter 10 µg/kg limit for ready-to-eat products is in force was not checked.",
			ExplanationId: "Pangan yang mengandung kacang tanah paling banyak boleh mengandung aflatoksin 20 µg/kg di Hong Kong (Cap. 132AF). Sambal pecel sebagian besar kacang tanah: " +
				"ujikan setiap batch di laboratorium terakreditasi dan kirimkan hasilnya bersama barang. Apakah batas 10 µg/kg yang lebih ketat untuk produk siap santap sudah berlaku belum diperiksa.",
			SourceTitle:  "Harmful Substances in Food Regulations (Cap. 132AF), Centre for Food Safety",
			SourceUri:    "https://www.elegislation.gov.hk/hk/cap132AF",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "food-cn-gacc-registration",
			Title:                  "Registration of the overseas food maker with China customs (GACC Decree 248)",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "CN",
			Kind:                   pb.Requirement_REGISTRATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Issuance:               pb.Requirement_HELD,
			Authority:              "GACC (General Administration of Customs of China)",
			Document:               "overseas food manufacturer registration (Decree 248)",
			CertificationType:      typeCNGACC,
			ExplanationEn: "China requires overseas makers of imported food to be registered with its customs (GACC) under Decree 248; condiments are among the foods covered. " +
				"Which route (self-registration or through Indonesia's authority) applies to a sauce such as sambal pecel is not confirmed.",
			ExplanationId: "Tiongkok mewajibkan produsen luar negeri pangan yang diimpor terdaftar di bea cukainya (GACC) berdasarkan Decree 248; bumbu termasuk pangan yang dicakup. " +
				"Jalur mana (pendaftaran sendiri atau melalui otoritas Indonesia) yang berlaku untuk saus seperti sambal pecel belum dipastikan.",
			SourceTitle:      "GACC Decree 248 (registration of overseas manufacturers of imported food)",
			Confirmation:     pb.Requirement_TO_VERIFY,
			VerificationNote: "Confirm with BPOM or GACC's CIFER system whether sambal pecel falls in a category that registers through Indonesia's authority or by self-registration.",
		},
		{
			Name:                   idPrefix + "food-tw-import-inspection",
			Title:                  "Border inspection of imported food by Taiwan's TFDA",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "TW",
			Kind:                   pb.Requirement_DECLARATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Authority:              "TFDA (Taiwan Food and Drug Administration)",
			Document:               "application for inspection of imported food",
			ExplanationEn: "Food imported into Taiwan is declared to the Taiwan Food and Drug Administration for border inspection, shipment by shipment; the importer applies. " +
				"Give the buyer the ingredient list and the product details it asks for in good time.",
			ExplanationId: "Pangan yang diimpor ke Taiwan dilaporkan kepada Taiwan Food and Drug Administration untuk pemeriksaan di perbatasan, setiap pengiriman; importir yang mengajukan. " +
				"Kirimkan daftar bahan dan data produk yang diminta pembeli tepat waktu.",
			SourceTitle:  "TFDA, inspection of imported food",
			Confirmation: pb.Requirement_TO_VERIFY,
			VerificationNote: "Confirm with TFDA which inspection applies to a sauce such as sambal pecel (document review or sampling) " +
				"and what the importer needs from the exporter.",
		},
		{
			Name:                   idPrefix + "food-tw-chinese-labelling",
			Title:                  "Chinese labelling of prepackaged food for Taiwan",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "TW",
			Kind:                   pb.Requirement_LABELLING,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Issuance:               pb.Requirement_HELD,
			Authority:              "TFDA (Taiwan Food and Drug Administration)",
			Document:               "Taiwan's labelling rules for prepackaged food (in traditional Chinese)",
			CertificationType:      typeTWLabelCheck,
			ExplanationEn: "Prepackaged food sold in Taiwan carries a label in Chinese (traditional characters) with the name, ingredients, allergens such as peanuts, " +
				"net content, the importer, origin and dates. The trade office records this certification type after checking the label.",
			ExplanationId: "Pangan kemasan yang dijual di Taiwan diberi label berbahasa Tionghoa (aksara tradisional) yang memuat nama, bahan, alergen seperti kacang tanah, " +
				"isi bersih, importir, negara asal, dan tanggal. Dinas mencatat jenis sertifikasi ini setelah memeriksa labelnya.",
			SourceTitle:      "TFDA, labelling of prepackaged food",
			Confirmation:     pb.Requirement_TO_VERIFY,
			VerificationNote: "Check the current TFDA labelling rules for imported sauces, including the nutrition label, against a Blitar label.",
		},
		{
			Name:              idPrefix + "food-exit-halal",
			Title:             "Halal certification (BPJPH), asked for by many buyers",
			Category:          pb.Category_FOOD,
			Kind:              pb.Requirement_CERTIFICATE,
			Obligation:        pb.Requirement_RECOMMENDED,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Issuance:          pb.Requirement_HELD,
			Authority:         "BPJPH (Halal Product Assurance Agency)",
			Document:          "halal certificate",
			CertificationType: "HALAL",
			ExplanationEn: "No market in the catalogue demands it for sambal, but buyers serving Indonesian and Malaysian workers abroad often do, " +
				"and BPJPH's certificate is what they recognise.",
			ExplanationId: "Tidak ada pasar dalam katalog yang mewajibkannya untuk sambal, tetapi pembeli yang melayani pekerja Indonesia dan Malaysia di luar negeri sering memintanya, " +
				"dan sertifikat BPJPH yang mereka akui.",
			SourceTitle:  "BPJPH, halal certification",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "food-us-fsvp",
			Title:                  "Foreign Supplier Verification Program (FSVP) of the US importer",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_OTHER,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Issuance:               pb.Requirement_HELD,
			Authority:              usFDA,
			Document:               "FSVP of the importer",
			ExplanationEn: "A US food importer must verify under the FDA's Foreign Supplier Verification Program that its foreign supplier makes food as safely as the US preventive-controls rules require. " +
				"Expect the buyer to ask for your hazard analysis, process records and test results.",
			ExplanationId: "Importir pangan di AS wajib memverifikasi melalui Foreign Supplier Verification Program (FSVP) FDA bahwa pemasok luar negerinya memproduksi pangan seaman yang disyaratkan aturan preventive controls AS. " +
				"Pembeli akan meminta analisis bahaya, catatan proses, dan hasil uji Anda.",
			SourceTitle:  "FDA, Foreign Supplier Verification Programs (FSVP) for Importers of Food",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "food-us-fda-registration",
			Title:                  "FDA food facility registration with a US agent",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_REGISTRATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              usFDA,
			Document:               "food facility registration (with a US agent)",
			CertificationType:      typeFDAFacility,
			ExplanationEn: "Every facility that makes, packs or holds food for the US must be registered with the FDA and name a US agent, " +
				"a person or firm in the US whom the FDA can reach, and give a unique facility identifier (a DUNS number), mandatory since 2020. The registration must be renewed between October and December of every even-numbered year or it lapses, " +
				"so record it with 31 December of the next even year as its expiry date.",
			ExplanationId: "Setiap fasilitas yang membuat, mengemas, atau menyimpan pangan untuk AS wajib terdaftar di FDA dan menunjuk agen AS, " +
				"yaitu orang atau perusahaan di AS yang dapat dihubungi FDA, serta mencantumkan nomor identitas fasilitas yang unik (nomor DUNS), wajib sejak 2020. Pendaftaran harus diperbarui antara Oktober dan Desember setiap tahun genap atau akan gugur, " +
				"jadi catat dengan tanggal kedaluwarsa 31 Desember tahun genap berikutnya.",
			SourceTitle:  "FDA guidance on food facility registration (unique facility identifier)",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "food-us-prior-notice",
			Title:                  "FDA Prior Notice before each food shipment arrives",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_DECLARATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Authority:              usFDA,
			Document:               "Prior Notice of imported food",
			Issuance:               pb.Requirement_PER_SHIPMENT,
			ExplanationEn: "The FDA must be told of each food shipment before it arrives: at least 2 hours ahead by road, 4 hours by air or rail and 8 hours by sea. " +
				"The notice is usually filed by the buyer, its customs broker or the courier; agree who files it and give them the product details in good time. " +
				"For food sent by international mail (samples, small parcels) the notice must be filed before posting, and its confirmation number written on the customs declaration.",
			ExplanationId: "FDA harus diberi tahu tentang setiap kiriman pangan sebelum tiba: paling lambat 2 jam sebelumnya lewat darat, 4 jam lewat udara atau kereta, dan 8 jam lewat laut. " +
				"Pemberitahuan ini biasanya diajukan oleh pembeli, agen kepabeanannya, atau perusahaan kurir; sepakati siapa yang mengajukan dan kirimkan data produk tepat waktu. " +
				"Untuk pangan yang dikirim lewat pos internasional (contoh, paket kecil) pemberitahuan harus diajukan sebelum dikirim, dan nomor konfirmasinya ditulis pada deklarasi pabean.",
			SourceTitle:  `FDA, "Prior Notice of Imported Foods"`,
			SourceUri:    "https://www.fda.gov/food/importing-food-products-united-states/prior-notice-imported-foods",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "sambal-us-acidified-food",
			Title:                  "Acidified-food registration and process filing (FDA FCE/SID)",
			HsPrefix:               hsSambal,
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_REGISTRATION,
			Obligation:             pb.Requirement_RECOMMENDED,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              usFDA,
			Document:               "canning establishment registration (FCE) and process filing (SID)",
			CertificationType:      typeFDAAcidified,
			ExplanationEn: "Acidified foods (pH 4.6 or lower, water activity above 0.85) may be sold in the US only by a processor that has registered its " +
				"canning establishment (FCE number) and filed each process (SID). Whether sambal pecel is an acidified food depends on the recipe and has not been checked.",
			ExplanationId: "Pangan yang diasamkan (pH 4,6 atau lebih rendah, aktivitas air di atas 0,85) hanya boleh dijual di AS oleh produsen yang telah mendaftarkan " +
				"fasilitas pengalengannya (nomor FCE) dan melaporkan setiap proses (SID). Apakah sambal pecel termasuk pangan yang diasamkan bergantung pada resepnya dan belum diperiksa.",
			SourceTitle:  "FDA guidance on acidified foods",
			Confirmation: pb.Requirement_TO_VERIFY,
			VerificationNote: "Measure pH and water activity of the sambal pecel recipes to see whether the acidified-food rules apply. " +
				"(The HS code is settled: US ruling NY 885948 put a peanut sauce mix under 2103.90; 2008.11 is peanut butter.)",
		},
	}
}

func djembeRows() []*pb.Requirement {
	return []*pb.Requirement{
		{
			Name:                   idPrefix + "djembe-us-lacey-declaration",
			Title:                  "Lacey Act plant declaration (PPQ 505) for wooden drums to the US",
			HsPrefix:               hsDjembe,
			Category:               pb.Category_MUSICAL_INSTRUMENT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_DECLARATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Authority:              usdaAPHIS,
			Document:               "Lacey Act plant and plant product declaration (PPQ 505)",
			ExplanationEn: "Since phase VI of the Lacey Act declaration (October 2021) drums of US line 9206.00.20 are declared at entry on form PPQ 505: " +
				"the genus and species of the wood (Swietenia macrophylla for mahogany, Artocarpus heterophyllus where jackfruit wood is used) and the country where it was harvested. " +
				"The importer files it; give the buyer the species and the country of harvest of every body on the invoice.",
			ExplanationId: "Sejak tahap VI deklarasi Lacey Act (Oktober 2021) kendang dengan pos tarif AS 9206.00.20 dideklarasikan saat masuk dengan formulir PPQ 505: " +
				"genus dan spesies kayunya (Swietenia macrophylla untuk mahoni, Artocarpus heterophyllus bila memakai kayu nangka) dan negara tempat kayu ditebang. " +
				"Importir yang mengajukan; cantumkan spesies dan negara asal kayu setiap badan kendang pada invoice untuk pembeli.",
			SourceTitle:  "Federal Register 2021-14155, Lacey Act implementation plan: phase VI",
			SourceUri:    "https://www.federalregister.gov/d/2021-14155",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "djembe-us-goatskin",
			Title:                  "Untanned goatskin heads are not admitted to the US",
			HsPrefix:               hsDjembe,
			Category:               pb.Category_MUSICAL_INSTRUMENT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_TREATMENT,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			FilingChannel:          "the invoice and packing list, which state that the heads are tanned",
			Issuance:               pb.Requirement_PER_SHIPMENT,
			Condition:              untannedHide,
			Authority:              usdaAPHIS + " and CDC",
			Document:               "tanned or pickled goatskin heads (no raw hide)",
			CertificationType:      typeTannedHide,
			ExplanationEn: "Indonesia lost its foot-and-mouth-disease-free status in May 2022, after an outbreak that began in East Java. " +
				"From such a country the US admits animal hides only tanned or pickled, so drums whose heads are raw (untanned) goatskin risk being refused. " +
				"Use tanned heads, or heads treated as the US rules ask, and say so on the invoice.",
			ExplanationId: "Indonesia kehilangan status bebas penyakit mulut dan kuku (PMK) pada Mei 2022, setelah wabah yang bermula di Jawa Timur. " +
				"Dari negara seperti itu AS hanya menerima kulit hewan yang sudah disamak atau diasamkan (pickled), sehingga kendang dengan membran kulit kambing mentah berisiko ditolak. " +
				"Pakai kulit yang disamak, atau yang diperlakukan sesuai aturan AS, dan nyatakan pada invoice.",
			SourceTitle:  "WOAH, Indonesia's FMD status (2022); USDA APHIS and CDC rules on imported animal hides",
			SourceUri:    "https://www.woah.org",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:              idPrefix + "djembe-exit-goatskin-fmd",
			Title:             "Untanned goatskin heads after Indonesia's FMD outbreak: ask what the destination demands",
			HsPrefix:          hsDjembe,
			Category:          pb.Category_MUSICAL_INSTRUMENT,
			Kind:              pb.Requirement_CERTIFICATE,
			Obligation:        pb.Requirement_MANDATORY,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Issuance:          pb.Requirement_PER_SHIPMENT,
			Condition:         untannedHide,
			Authority:         barantin,
			Document:          "veterinary certificate for the goatskin heads, if the destination asks for one",
			CertificationType: typeVeterinary,
			FilingChannel:     ptkOnline,
			ExplanationEn: "Indonesia has not been free of foot-and-mouth disease (FMD) since May 2022, and the outbreak began in East Java. " +
				"Raw goatskin is an animal product that FMD rules can catch, whatever the destination. China bars raw hides from post and baggage unless they are part of processed crafts, " +
				"which matters for samples; what China, Taiwan and Japan demand for commercial shipments of finished drums has not been confirmed.",
			ExplanationId: "Indonesia tidak lagi bebas penyakit mulut dan kuku (PMK) sejak Mei 2022, dan wabahnya bermula di Jawa Timur. " +
				"Kulit kambing mentah adalah produk hewan yang dapat terkena aturan PMK, ke mana pun tujuannya. Tiongkok melarang kulit mentah dikirim lewat pos atau bagasi kecuali sebagai bagian kerajinan olahan, " +
				"yang penting untuk contoh; apa yang diminta Tiongkok, Taiwan, dan Jepang untuk kiriman komersial kendang jadi belum dipastikan.",
			SourceTitle:  "WOAH, Indonesia's FMD status (2022); China customs, items prohibited in post and baggage",
			SourceUri:    "https://www.woah.org",
			Confirmation: pb.Requirement_TO_VERIFY,
			VerificationNote: "Ask Barantin and each destination's quarantine authority (GACC for China, BAPHIQ for Taiwan, MAFF for Japan) whether finished djembe with untanned goatskin heads " +
				"need a veterinary certificate or a treatment since Indonesia lost its FMD-free status.",
		},
		{
			Name:              idPrefix + "djembe-exit-cites",
			Title:             "CITES and finished drums: no permit expected, check the wood",
			HsPrefix:          hsDjembe,
			Category:          pb.Category_MUSICAL_INSTRUMENT,
			Kind:              pb.Requirement_PERMIT,
			Obligation:        pb.Requirement_MANDATORY,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			FilingChannel:     "KLHK, Indonesia's CITES management authority",
			Issuance:          pb.Requirement_PER_SHIPMENT,
			Condition:         "the body is of a CITES-listed wood whose listing covers finished instruments",
			Authority:         "Indonesia's CITES management authority",
			Document:          "CITES export permit",
			CertificationType: typeCITESExport,
			ExplanationEn: "Finished musical instruments of Dalbergia (rosewood) have been exempt from CITES permits since 26 November 2019 (annotation #15). " +
				"Mahogany (Swietenia macrophylla) is listed with annotation #6, which covers logs, sawn wood, veneer sheets and plywood, so finished drums should need no permit; " +
				"that has not been confirmed. Jackfruit wood is not listed.",
			ExplanationId: "Alat musik jadi dari Dalbergia (sonokeling) dibebaskan dari izin CITES sejak 26 November 2019 (anotasi #15). " +
				"Mahoni (Swietenia macrophylla) tercantum dengan anotasi #6, yang mencakup kayu bulat, kayu gergajian, lembaran veneer, dan kayu lapis, sehingga kendang jadi semestinya tidak memerlukan izin; " +
				"hal ini belum dipastikan. Kayu nangka tidak tercantum.",
			SourceTitle:      "CITES decision 18.321 and annotations #6 and #15 of the Appendices",
			SourceUri:        "https://cites.org/eng/app/appendices.php",
			Confirmation:     pb.Requirement_TO_VERIFY,
			VerificationNote: "Confirm with Indonesia's CITES authority that annotation #6 leaves finished mahogany drums outside CITES.",
		},
		{
			Name:                           idPrefix + "djembe-exit-svlk",
			Title:                          "Timber legality: V-Legal document for each shipment of wooden drums",
			HsPrefix:                       hsDjembe,
			Category:                       pb.Category_MUSICAL_INSTRUMENT,
			Kind:                           pb.Requirement_CERTIFICATE,
			Obligation:                     pb.Requirement_RECOMMENDED,
			ResponsibleParty:               pb.Requirement_EXPORTER,
			Issuance:                       pb.Requirement_PER_SHIPMENT,
			Authority:                      kemendag,
			Document:                       "V-Legal document (SVLK)",
			CertificationType:              typeVLegal,
			FilingChannel:                  "SILK, through the firm's SVLK certification body",
			PrerequisiteCertificationTypes: []string{"SVLK"},
			ExplanationEn: "Forestry-industry products named in the annex of Permendag 74/2020 leave Indonesia with a V-Legal document for each shipment, " +
				"which only a firm holding an SVLK certificate (S-LK) can obtain. Whether drums of HS 9206 are in that annex is not confirmed; " +
				"the older exporter-registration list (Permendag 20/2008) covered HS 44, 4601-02, 9401, 9403 and 9406, not 9206.",
			ExplanationId: "Produk industri kehutanan yang tercantum dalam lampiran Permendag 74/2020 diekspor dengan dokumen V-Legal untuk setiap pengiriman, " +
				"yang hanya dapat diperoleh perusahaan pemegang sertifikat SVLK (S-LK). Apakah kendang dengan HS 9206 termasuk dalam lampiran tersebut belum dipastikan; " +
				"daftar lama (Permendag 20/2008) mencakup HS 44, 4601-02, 9401, 9403, dan 9406, bukan 9206.",
			SourceTitle:      "Permendag 74/2020 (replacing 84/2016 and 38/2017); Permendag 20/2008",
			Confirmation:     pb.Requirement_TO_VERIFY,
			VerificationNote: "Check whether HS 9206 is in the annex of Permendag 74/2020 (as amended) of products that need a V-Legal document.",
		},
	}
}

// packagingRows are ISPM 15, which every destination applies to solid-wood
// packaging whatever the goods: one exit-side row per category, each
// conditional on the packing, because the catalogue cannot know how a
// shipment is packed.
func packagingRows() []*pb.Requirement {
	rows := make([]*pb.Requirement, 0, len(allCategories))
	for _, c := range allCategories {
		rows = append(rows, &pb.Requirement{
			Name:                           idPrefix + "packaging-ispm15-" + c.id,
			Title:                          "ISPM 15 treatment and mark on solid-wood packaging",
			Category:                       c.c,
			Kind:                           pb.Requirement_TREATMENT,
			Obligation:                     pb.Requirement_MANDATORY,
			ResponsibleParty:               pb.Requirement_EXPORTER,
			FilingChannel:                  "a packaging maker or treatment provider registered with Barantin",
			Issuance:                       pb.Requirement_PER_SHIPMENT,
			Condition:                      solidWood,
			Authority:                      barantin,
			Document:                       "ISPM 15 treatment and IPPC mark on the wood packaging",
			CertificationType:              typeISPM15Mark,
			PrerequisiteCertificationTypes: []string{"ISPM15"},
			ExplanationEn: "Every destination applies the international standard ISPM 15 to solid-wood packaging: crates, pallets and dunnage must be treated, " +
				"by heat (56 °C at the core for 30 minutes) or methyl bromide fumigation, and carry the IPPC mark. " +
				"Cartons, plywood and other processed wood, and wood 6 mm thick or less, are exempt. " +
				"The treatment is done by a packaging maker or treatment provider registered with Barantin; record its registration under type ISPM15.",
			ExplanationId: "Semua negara tujuan menerapkan standar internasional ISPM 15 pada kemasan kayu padat: peti, palet, dan kayu pengganjal harus diberi perlakuan " +
				"pemanasan (56 °C di bagian inti selama 30 menit) atau fumigasi metil bromida, dan diberi tanda IPPC. " +
				"Kardus, kayu lapis dan kayu olahan lain, serta kayu setebal 6 mm atau kurang dikecualikan. " +
				"Perlakuan dilakukan oleh pembuat kemasan atau penyedia perlakuan yang terdaftar di Barantin; catat pendaftarannya dengan jenis ISPM15.",
			SourceTitle:  ippcISPM15,
			SourceUri:    "https://www.ippc.int/en/publications/640/",
			Confirmation: pb.Requirement_CONFIRMED,
		})
	}
	return rows
}

// allCategories are the categories that rules for any product repeat over,
// because a row must name a category or an HS prefix.
var allCategories = []struct {
	id string
	c  pb.Category
}{
	{"musical-instrument", pb.Category_MUSICAL_INSTRUMENT},
	{"food", pb.Category_FOOD},
	{"ornamental-plant", pb.Category_ORNAMENTAL_PLANT},
	{"ornamental-fish", pb.Category_ORNAMENTAL_FISH},
	{"handicraft", pb.Category_HANDICRAFT},
	{"other", pb.Category_OTHER},
}

// originRows are the papers every export may use or needs, whatever the
// product: the certificate of origin and the customs export declaration.
// Both are issued per shipment.
func originRows() []*pb.Requirement {
	rows := make([]*pb.Requirement, 0, 2*len(allCategories))
	for _, c := range allCategories {
		rows = append(rows, &pb.Requirement{
			Name:              idPrefix + "origin-ska-" + c.id,
			Title:             "Certificate of origin (SKA / e-SKA) for preferential tariffs",
			Category:          c.c,
			Kind:              pb.Requirement_CERTIFICATE,
			Obligation:        pb.Requirement_RECOMMENDED,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Issuance:          pb.Requirement_PER_SHIPMENT,
			Authority:         kemendag,
			Document:          "certificate of origin (SKA, issued online as e-SKA)",
			CertificationType: typeSKA,
			FilingChannel:     "e-SKA (Kemendag)",
			ExplanationEn: "A certificate of origin lets the buyer claim the lower duty of a trade agreement, such as Form E under the ASEAN-China agreement " +
				"or the form of the ASEAN-Japan agreement. It is issued for each shipment. Goods can ship without it, but with it they cost the buyer less. Kemendag issues it online (e-SKA).",
			ExplanationId: "Surat keterangan asal (SKA) memungkinkan pembeli memperoleh bea masuk lebih rendah dari perjanjian perdagangan, misalnya Form E dalam perjanjian ASEAN-Tiongkok " +
				"atau formulir perjanjian ASEAN-Jepang. SKA diterbitkan untuk setiap pengiriman. Barang tetap dapat dikirim tanpa SKA, tetapi dengan SKA harganya lebih murah bagi pembeli. Kemendag menerbitkannya secara daring (e-SKA).",
			SourceTitle:  kemendag + ", e-SKA",
			Confirmation: pb.Requirement_CONFIRMED,
		}, &pb.Requirement{
			Name:              idPrefix + "exit-peb-" + c.id,
			Title:             "Customs export declaration (PEB) for each shipment",
			Category:          c.c,
			Kind:              pb.Requirement_DECLARATION,
			Obligation:        pb.Requirement_MANDATORY,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Issuance:          pb.Requirement_PER_SHIPMENT,
			Authority:         "Indonesian customs (DJBC)",
			Document:          "export declaration (Pemberitahuan Ekspor Barang, PEB)",
			CertificationType: typePEB,
			FilingChannel:     "INSW / CEISA, by the exporter of record or its customs broker (PPJK)",
			ExplanationEn: "Every export is declared to Indonesian customs on a PEB before the goods are loaded, by the exporter of record, which needs a business number (NIB), " +
				"or by its customs broker. A maker that ships through a consolidator does not file it; the consolidator does, in its own name.",
			ExplanationId: "Setiap ekspor diberitahukan kepada Bea Cukai dengan PEB sebelum barang dimuat, oleh eksportir tercatat yang harus memiliki NIB, " +
				"atau oleh PPJK-nya. Perajin yang mengirim melalui konsolidator tidak mengajukannya; konsolidator yang mengajukan atas namanya sendiri.",
			SourceTitle:  "Kemendag and DJBC, export procedures (NIB, PEB)",
			SourceUri:    "https://www.insw.go.id",
			Confirmation: pb.Requirement_CONFIRMED,
		})
	}
	return rows
}

func leadDays(n int32) *int32 { return &n }
