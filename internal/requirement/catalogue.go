package requirement

import (
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// HS prefixes of the seed catalogue, from the HS table of FACTS.md.
const (
	hsKoi       = "030111" // live ornamental freshwater fish
	hsLiveFish  = "0301"   // all live fish: the rules that are not koi-specific
	hsPlants    = "0602"   // other live plants
	hsSambal    = "210390" // other sauces; FACTS.md asks to verify against 2008.11
	hsDjembe    = "9206"   // percussion instruments
	idPrefix    = "requirements/"
	barantin    = "Barantin"
	usdaAPHIS   = "USDA APHIS"
	usFDA       = "US FDA"
	hkCFS       = "Hong Kong's Centre for Food Safety"
	kemendag    = "Kemendag (Ministry of Trade)"
	aphisFish   = `USDA APHIS, "Import - Live Fish"`
	aphisPlants = "USDA APHIS, Plants for Planting FAQ"
	ippcISPM15  = "IPPC, ISPM 15: Regulation of wood packaging material in international trade"
)

// Certification type codes the catalogue introduces, for documents that the
// demo producers do not hold yet. The codes the demo data already uses
// (FISH_HEALTH_CERTIFICATE, CKIB, PHYTOSANITARY, ISPM15, SVLK and, on the
// buyers' side, USDA_APHIS_VS_17_129, USDA_PPQ_587, HK_FOOD_IMPORTER) are
// reused as they are, so that a certificate on file meets its row.
const (
	// Japan wants its own certificate format, which a general fish health
	// certificate does not prove.
	typeJPFishHealth = "JP_FISH_HEALTH_CERTIFICATE"
	// Registration of the quarantine facility used before export to Japan.
	typeJPQuarantineFacility = "JP_REGISTERED_QUARANTINE_FACILITY"
	typeKHVFree              = "KHV_FREE_CERTIFICATE"
	typeCITESExport          = "CITES_EXPORT_PERMIT"
	typeUSPPQ621             = "USDA_PPQ_621"
	// The soil-free, NAPPRA and Hong Kong label rows have no document of
	// their own; the trade office records its check of the producer's
	// packing, species list or label under these codes, so that the check,
	// not a guess, decides whether the row is met.
	typeUSSoilFreeCheck = "US_SOIL_FREE_CHECK"
	typeUSNAPPRACheck   = "US_NAPPRA_CHECK"
	typeHKLabelCheck    = "HK_FOOD_LABEL_CHECK"
	typeFoodHealth      = "FOOD_HEALTH_CERTIFICATE"
	typeFDAFacility     = "FDA_FOOD_FACILITY"
	typeFDAAcidified    = "FDA_FCE_SID"
	typeVeterinary      = "VETERINARY_CERTIFICATE"
	typeSKA             = "SKA"
)

// Catalogue returns the seed catalogue written from FACTS.md ("Export
// requirements by product and destination"): names set ("requirements/
// koi-us-aphis-permit" etc.), confirmation set, output-only fields empty.
// Every call builds new messages, so callers may change them freely.
//
// Choices made in writing it, each also said in the row's text:
//
//   - Permits that a US or Hong Kong authority issues to the importer
//     (APHIS VS 17-129, PPQ 587, PPQ 621, the USFWS declaration, the Hong
//     Kong importer registration) are IMPORTER rows: a Blitar firm cannot
//     obtain them, and the demo buyers hold them as import registrations of
//     the same type codes. FDA Prior Notice and Taiwan's hide declaration
//     are filed at entry, usually by the buyer or its broker, so they are
//     IMPORTER rows too.
//   - Where FACTS.md leaves open whether a rule applies at all (SVLK for HS
//     9206, a veterinary certificate for goatskin drums to China, acidified
//     food rules for sambal), the row is RECOMMENDED as well as TO_VERIFY:
//     an unconfirmed rule must not lower a producer's score as if it were
//     law. Where only a detail is open (which diseases Japan lists), the
//     row keeps its obligation and is TO_VERIFY.
//   - CITES rows are RECOMMENDED because they bind only CITES-listed
//     species, which an HS code cannot tell apart.
//   - Rules that hold for every live fish (KI-1, CKIB, USFWS) use "0301",
//     the koi-specific ones "030111"; food rules that do not depend on the
//     HS code are category-only.
//   - "Any product" (the certificate of origin) is one row per category,
//     because a row must name a category or an HS prefix.
func Catalogue() []*pb.Requirement {
	var all []*pb.Requirement
	for _, group := range [][]*pb.Requirement{
		koiRows(),
		plantRows(),
		foodRows(),
		djembeRows(),
		originRows(),
	} {
		all = append(all, group...)
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
			Authority:              usdaAPHIS,
			Document:               "permit VS 17-129",
			CertificationType:      "USDA_APHIS_VS_17_129",
			ExplanationEn: "Koi are one of the carp species the United States watches for spring viremia of carp (SVC), " +
				"so they may enter only under an APHIS import permit applied for on form VS 17-129. " +
				"The permit belongs to the party bringing the fish into the US, so the buyer applies; the Blitar exporter supplies " +
				"the shipment details the form asks for (exporter, dates, number of fish, route) and should hold a copy before the fish leave.",
			ExplanationId: "Koi termasuk jenis ikan mas yang diawasi Amerika Serikat terkait penyakit spring viremia of carp (SVC), " +
				"sehingga hanya boleh masuk dengan izin impor APHIS yang diajukan melalui formulir VS 17-129. " +
				"Izin ini milik pihak yang memasukkan ikan ke AS, jadi pembelilah yang mengajukan; eksportir Blitar menyiapkan " +
				"data pengiriman yang diminta formulir (eksportir, tanggal, jumlah ikan, rute) dan sebaiknya memegang salinannya sebelum ikan diberangkatkan.",
			SourceTitle:  aphisFish,
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "koi-us-health-certificate",
			Title:                  "Veterinary health certificate for koi to the US",
			HsPrefix:               hsKoi,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_CERTIFICATE,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              barantin,
			Document:               "veterinary health certificate for live fish",
			CertificationType:      "FISH_HEALTH_CERTIFICATE",
			ExplanationEn: "Besides the permit, APHIS admits koi only with a health certificate signed by a full-time veterinary officer " +
				"or the competent authority of the exporting country. For Indonesia that is Barantin, the national quarantine agency. " +
				"The certificate travels with the fish.",
			ExplanationId: "Selain izin, APHIS hanya menerima koi yang disertai sertifikat kesehatan yang ditandatangani dokter hewan pemerintah " +
				"atau otoritas berwenang negara asal. Untuk Indonesia otoritas itu adalah Barantin (Badan Karantina Indonesia). " +
				"Sertifikat dikirim bersama ikan.",
			SourceTitle:  aphisFish,
			Confirmation: pb.Requirement_CONFIRMED,
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
			Authority:              "US Fish and Wildlife Service",
			Document:               "Form 3-177 declaration",
			ExplanationEn: "To the US Fish and Wildlife Service live fish are wildlife: the importer or its customs broker declares them on Form 3-177, " +
				"and they have to arrive through a port designated for wildlife. Agree the airport of arrival with the buyer before booking the flight.",
			ExplanationId: "Bagi US Fish and Wildlife Service, ikan hidup termasuk satwa liar: importir atau agen kepabeanannya mendeklarasikannya dengan Formulir 3-177, " +
				"dan kiriman harus masuk lewat pelabuhan yang ditetapkan untuk satwa liar. Sepakati bandara tujuan dengan pembeli sebelum memesan penerbangan.",
			SourceTitle:  "USFWS guidance on importing wildlife (Form 3-177, designated ports)",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "koi-jp-health-certificate",
			Title:                  "Fish health certificate in Japan's format",
			HsPrefix:               hsKoi,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "JP",
			Kind:                   pb.Requirement_CERTIFICATE,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              barantin,
			Document:               "fish health certificate in Japan's format",
			CertificationType:      typeJPFishHealth,
			ExplanationEn: "Japan's fisheries ministry (MAFF), under its Act on the Protection of Fishery Resources, admits live koi only with a health certificate " +
				"that follows the format agreed with Japan. Barantin issues it; ask for the Japan format explicitly, since the general certificate is laid out differently.",
			ExplanationId: "Kementerian perikanan Jepang (MAFF), berdasarkan Undang-Undang Perlindungan Sumber Daya Perikanan, hanya menerima koi hidup dengan sertifikat kesehatan " +
				"yang mengikuti format yang disepakati dengan Jepang. Barantin yang menerbitkannya; mintalah format Jepang secara tegas, karena sertifikat umum berbeda susunannya.",
			SourceTitle:  "BKIPM letter 1113/BKIPM.2/KM.310/X/2016; Japan MAFF",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "koi-jp-pre-export-quarantine",
			Title:                  "Pre-export quarantine of koi in a registered facility (Japan)",
			HsPrefix:               hsKoi,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "JP",
			Kind:                   pb.Requirement_TREATMENT,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              barantin,
			Document:               "pre-export quarantine in a facility registered for Japan",
			CertificationType:      typeJPQuarantineFacility,
			ExplanationEn: "Koi bound for Japan first spend a quarantine period, under Barantin's supervision, in a facility registered for exports to Japan. " +
				"A farm without such a facility can use one that another firm runs. Record the registration of the facility used under this certification type.",
			ExplanationId: "Koi tujuan Jepang harus lebih dulu menjalani masa karantina, di bawah pengawasan Barantin, di instalasi yang terdaftar untuk ekspor ke Jepang. " +
				"Pembudidaya yang tidak memilikinya dapat memakai instalasi milik usaha lain. Catat pendaftaran instalasi yang dipakai dengan jenis sertifikasi ini.",
			SourceTitle:  "BKIPM letter 1113/BKIPM.2/KM.310/X/2016; Japan MAFF",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "koi-jp-khv-freedom",
			Title:                  "Freedom from koi herpesvirus (KHV) for koi to Japan",
			HsPrefix:               hsKoi,
			Category:               pb.Category_ORNAMENTAL_FISH,
			DestinationCountryCode: "JP",
			Kind:                   pb.Requirement_CERTIFICATE,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              barantin,
			Document:               "KHV-free certificate or negative KHV test",
			CertificationType:      typeKHVFree,
			ExplanationEn: "Japan's certificate has to state that the fish are free from listed diseases. Koi herpesvirus (KHV) is listed by the " +
				"World Organisation for Animal Health (WOAH) and is very probably one of them, which would call for a negative KHV test or a KHV-free farm status.",
			ExplanationId: "Sertifikat untuk Jepang harus menyatakan ikan bebas dari penyakit yang ditetapkan. Koi herpesvirus (KHV) tercantum dalam daftar " +
				"Organisasi Kesehatan Hewan Dunia (WOAH) dan sangat mungkin termasuk di dalamnya, sehingga diperlukan hasil uji KHV negatif atau status pembudidaya bebas KHV.",
			SourceTitle:  "BKIPM letter 1113/BKIPM.2/KM.310/X/2016; Japan MAFF; WOAH list of diseases",
			Confirmation: pb.Requirement_TO_VERIFY,
			VerificationNote: "Ask Barantin and MAFF which diseases Japan's koi certificate names, whether KHV is one of them, " +
				"and whether a test of each consignment or a disease-free status of the farm is needed.",
		},
		{
			Name:              idPrefix + "fish-exit-health-certificate",
			Title:             "Fish health certificate from Barantin (form KI-1)",
			HsPrefix:          hsLiveFish,
			Category:          pb.Category_ORNAMENTAL_FISH,
			Kind:              pb.Requirement_CERTIFICATE,
			Obligation:        pb.Requirement_MANDATORY,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Authority:         barantin,
			Document:          "fish health certificate (form KI-1)",
			CertificationType: "FISH_HEALTH_CERTIFICATE",
			ExplanationEn: "Live fish leave Indonesia only with a fish health certificate from Barantin, whatever the destination. " +
				"The exporter applies online on form KI-1 and Barantin examines the fish before issuing it.",
			ExplanationId: "Ikan hidup hanya boleh keluar dari Indonesia dengan sertifikat kesehatan ikan dari Barantin, ke mana pun tujuannya. " +
				"Eksportir mengajukan permohonan daring dengan formulir KI-1 dan Barantin memeriksa ikan sebelum sertifikat terbit.",
			SourceTitle:  "pintumas.id; ipol.id (2025)",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:              idPrefix + "fish-exit-ckib",
			Title:             "CKIB certification of the farm (good fish-quarantine practice)",
			HsPrefix:          hsLiveFish,
			Category:          pb.Category_ORNAMENTAL_FISH,
			Kind:              pb.Requirement_CERTIFICATE,
			Obligation:        pb.Requirement_MANDATORY,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Authority:         barantin,
			Document:          "CKIB certificate",
			CertificationType: "CKIB",
			ExplanationEn: "Barantin certifies farms and holding facilities that follow good fish-quarantine practice (Cara Karantina Ikan yang Baik, CKIB), " +
				"and registers them with destination countries. Buyers abroad expect fish from such a farm, so a lapsed CKIB stops direct exports.",
			ExplanationId: "Barantin memberikan sertifikat CKIB (Cara Karantina Ikan yang Baik) kepada pembudidaya dan instalasi yang menerapkannya, " +
				"dan mendaftarkannya ke negara tujuan. Pembeli di luar negeri mengharapkan ikan dari pembudidaya tersebut, sehingga CKIB yang habis masa berlakunya menghentikan ekspor langsung.",
			SourceTitle:  "pintumas.id; ipol.id (2025)",
			Confirmation: pb.Requirement_CONFIRMED,
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
			Name:                   idPrefix + "plants-us-phytosanitary",
			Title:                  "Phytosanitary certificate for plants to the US",
			HsPrefix:               hsPlants,
			Category:               pb.Category_ORNAMENTAL_PLANT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_CERTIFICATE,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              barantin,
			Document:               "phytosanitary certificate",
			CertificationType:      "PHYTOSANITARY",
			ExplanationEn: "Every consignment of plants needs a phytosanitary certificate from Barantin, issued after an inspection finds the plants free of pests. " +
				"Book the inspection ahead of the shipping date.",
			ExplanationId: "Setiap kiriman tanaman memerlukan sertifikat fitosanitari dari Barantin, yang terbit setelah pemeriksaan menyatakan tanaman bebas organisme pengganggu. " +
				"Jadwalkan pemeriksaan sebelum tanggal pengiriman.",
			SourceTitle:  "USDA APHIS, Plants for Planting",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:                   idPrefix + "plants-us-cites-export-permit",
			Title:                  "CITES export permit for CITES-listed plant species",
			HsPrefix:               hsPlants,
			Category:               pb.Category_ORNAMENTAL_PLANT,
			DestinationCountryCode: "US",
			Kind:                   pb.Requirement_PERMIT,
			Obligation:             pb.Requirement_RECOMMENDED,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              "Indonesia's CITES management authority",
			Document:               "a CITES export permit",
			CertificationType:      typeCITESExport,
			ExplanationEn: "Only for species listed under CITES, orchids for example. Such plants need a CITES export permit from Indonesia besides the usual papers, " +
				"and the US buyer needs permit PPQ 621. The row is recommended rather than mandatory because an HS code cannot tell a listed species from others: " +
				"check the species of each listing.",
			ExplanationId: "Hanya untuk jenis yang tercantum dalam CITES, misalnya anggrek. Tanaman tersebut memerlukan izin ekspor CITES dari Indonesia selain dokumen biasa, " +
				"dan pembeli di AS memerlukan izin PPQ 621. Baris ini bersifat anjuran, bukan wajib, karena kode HS tidak dapat membedakan jenis yang tercantum dari yang lain: " +
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
			Obligation:             pb.Requirement_RECOMMENDED,
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
			ExplanationEn: "Plants must reach the US without soil or growing media, apart from a few listed genera (Anthurium and Phalaenopsis, for example) " +
				"that may travel in approved media under extra conditions. Wash the roots and pack bare-root. " +
				"The trade office records this certification type after checking the grower's packing.",
			ExplanationId: "Tanaman harus tiba di AS tanpa tanah atau media tanam, kecuali beberapa marga tertentu (misalnya Anthurium dan Phalaenopsis) " +
				"yang boleh dikirim dalam media yang disetujui dengan syarat tambahan. Cuci akar dan kemas tanpa media (bare-root). " +
				"Dinas mencatat jenis sertifikasi ini setelah memeriksa cara pengemasan pembudidaya.",
			SourceTitle:  `USDA APHIS, "Plants with Additional Requirements"`,
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
				"A nutrition label with energy and seven core nutrients (\"1+7\") is also required. " +
				"The trade office records this certification type after checking the label.",
			ExplanationId: "Pangan kemasan yang dijual di Hong Kong diberi label berbahasa Inggris atau Tionghoa; label yang memakai keduanya harus memuat nama dan daftar bahan dalam kedua bahasa. " +
				"Bahan penyebab alergi dari delapan golongan wajib disebut dalam daftar bahan, dan untuk sambal pecel artinya kacang tanah. " +
				"Label gizi berisi energi dan tujuh zat gizi utama (\"1+7\") juga wajib. " +
				"Dinas mencatat jenis sertifikasi ini setelah memeriksa labelnya.",
			SourceTitle:  "Centre for Food Safety, labelling FAQ (Food and Drugs (Composition and Labelling) Regulations, Cap. 132W)",
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
			Name:                   idPrefix + "food-hk-health-certificate",
			Title:                  "Health certificate for food to Hong Kong (recommended)",
			Category:               pb.Category_FOOD,
			DestinationCountryCode: "HK",
			Kind:                   pb.Requirement_CERTIFICATE,
			Obligation:             pb.Requirement_RECOMMENDED,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              "BPOM",
			Document:               "health certificate for processed food",
			CertificationType:      typeFoodHealth,
			ExplanationEn: "Hong Kong does not demand a health certificate for general food such as sauces, but it is advised and some buyers ask for one. " +
				"For processed food it is issued in Indonesia by BPOM.",
			ExplanationId: "Hong Kong tidak mewajibkan sertifikat kesehatan untuk pangan umum seperti saus, tetapi sertifikat ini dianjurkan dan sebagian pembeli memintanya. " +
				"Untuk pangan olahan, sertifikat diterbitkan di Indonesia oleh BPOM.",
			SourceTitle:  "USDA FAS GAIN report HK1830; Centre for Food Safety",
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
				"a person or firm in the US whom the FDA can reach. The registration must be renewed between October and December of every even-numbered year or it lapses, " +
				"so record it with 31 December of the next even year as its expiry date.",
			ExplanationId: "Setiap fasilitas yang membuat, mengemas, atau menyimpan pangan untuk AS wajib terdaftar di FDA dan menunjuk agen AS, " +
				"yaitu orang atau perusahaan di AS yang dapat dihubungi FDA. Pendaftaran harus diperbarui antara Oktober dan Desember setiap tahun genap atau akan gugur, " +
				"jadi catat dengan tanggal kedaluwarsa 31 Desember tahun genap berikutnya.",
			SourceTitle:  "FDA guidance on food facility registration",
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
			ExplanationEn: "The FDA must be told of each food shipment before it arrives: at least 2 hours ahead by road, 4 hours by air or rail and 8 hours by sea. " +
				"The notice is usually filed by the buyer, its customs broker or the courier; agree who files it and give them the product details in good time.",
			ExplanationId: "FDA harus diberi tahu tentang setiap kiriman pangan sebelum tiba: paling lambat 2 jam sebelumnya lewat darat, 4 jam lewat udara atau kereta, dan 8 jam lewat laut. " +
				"Pemberitahuan ini biasanya diajukan oleh pembeli, agen kepabeanannya, atau perusahaan kurir; sepakati siapa yang mengajukan dan kirimkan data produk tepat waktu.",
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
				"Also confirm the HS code: this row is keyed on 2103.90, but a peanut-based paste might fall under 2008.11.",
		},
	}
}

func djembeRows() []*pb.Requirement {
	ispm15 := func(dest, country, extraEn, extraID string) *pb.Requirement {
		return &pb.Requirement{
			Name:                   idPrefix + "djembe-" + strings.ToLower(dest) + "-ispm15",
			Title:                  "ISPM 15 wood packaging for djembe to " + country,
			HsPrefix:               hsDjembe,
			Category:               pb.Category_MUSICAL_INSTRUMENT,
			DestinationCountryCode: dest,
			Kind:                   pb.Requirement_TREATMENT,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              barantin,
			Document:               "ISPM 15 treatment and IPPC mark on wood packaging",
			CertificationType:      "ISPM15",
			ExplanationEn: "Crates, pallets and other wood packaging must be treated under the international standard ISPM 15, either by heat " +
				"(56 °C at the core for 30 minutes) or by methyl bromide fumigation, and carry the IPPC mark. " + extraEn,
			ExplanationId: "Peti, palet, dan kemasan kayu lainnya harus diberi perlakuan sesuai standar internasional ISPM 15, dengan pemanasan " +
				"(56 °C di bagian inti selama 30 menit) atau fumigasi metil bromida, dan diberi tanda IPPC. " + extraID,
			SourceTitle:  ippcISPM15,
			Confirmation: pb.Requirement_CONFIRMED,
		}
	}
	return []*pb.Requirement{
		ispm15("CN", "China", "China has enforced the standard since 2006.", "Tiongkok menerapkan standar ini sejak 2006."),
		ispm15("TW", "Taiwan", "Taiwan applies the same standard.", "Taiwan menerapkan standar yang sama."),
		{
			Name:                   idPrefix + "djembe-cn-goatskin-veterinary",
			Title:                  "Goatskin drum heads: veterinary certificate for China",
			HsPrefix:               hsDjembe,
			Category:               pb.Category_MUSICAL_INSTRUMENT,
			DestinationCountryCode: "CN",
			Kind:                   pb.Requirement_CERTIFICATE,
			Obligation:             pb.Requirement_RECOMMENDED,
			ResponsibleParty:       pb.Requirement_EXPORTER,
			Authority:              barantin,
			Document:               "veterinary certificate for the goatskin heads",
			CertificationType:      typeVeterinary,
			ExplanationEn: "China's customs bar raw hides from post and passenger baggage unless they are part of processed craft goods, which matters when " +
				"sending drum samples. Whether commercial shipments of drums with goatskin heads also need a veterinary certificate is not confirmed.",
			ExplanationId: "Bea cukai Tiongkok melarang kulit mentah dikirim lewat pos atau dibawa dalam bagasi penumpang kecuali sebagai bagian dari barang kerajinan olahan, " +
				"hal yang penting saat mengirim contoh kendang. Apakah pengiriman komersial kendang berkulit kambing juga memerlukan sertifikat veteriner belum dipastikan.",
			SourceTitle:  "China customs, list of items prohibited in post and baggage",
			Confirmation: pb.Requirement_TO_VERIFY,
			VerificationNote: "Ask China customs (GACC) or an importer whether commercial djembe with goatskin heads need a veterinary certificate, " +
				"and if so which Indonesian authority issues it.",
		},
		{
			Name:                   idPrefix + "djembe-tw-hide-declaration",
			Title:                  "Declaration of animal hides to Taiwan's quarantine authority",
			HsPrefix:               hsDjembe,
			Category:               pb.Category_MUSICAL_INSTRUMENT,
			DestinationCountryCode: "TW",
			Kind:                   pb.Requirement_DECLARATION,
			Obligation:             pb.Requirement_MANDATORY,
			ResponsibleParty:       pb.Requirement_IMPORTER,
			Authority:              "BAPHIQ, Taiwan's animal and plant quarantine authority",
			Document:               "declaration of the animal-hide parts",
			ExplanationEn: "Taiwan requires animal hides to be declared to its quarantine authority on entry, and goatskin drum heads are hides. " +
				"The importer declares them; describe the heads plainly as goatskin on the invoice and packing list so that it can.",
			ExplanationId: "Taiwan mewajibkan kulit hewan dideklarasikan kepada otoritas karantinanya saat masuk, dan kulit kambing pada kendang termasuk di dalamnya. " +
				"Importir yang mendeklarasikan; tuliskan dengan jelas bahwa membrannya kulit kambing pada invoice dan packing list agar importir dapat melakukannya.",
			SourceTitle:  "BAPHIQ leaflet",
			Confirmation: pb.Requirement_CONFIRMED,
		},
		{
			Name:              idPrefix + "djembe-exit-svlk",
			Title:             "Timber legality document (SVLK / V-Legal) for wooden drums",
			HsPrefix:          hsDjembe,
			Category:          pb.Category_MUSICAL_INSTRUMENT,
			Kind:              pb.Requirement_CERTIFICATE,
			Obligation:        pb.Requirement_RECOMMENDED,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Authority:         kemendag,
			Document:          "V-Legal document under SVLK",
			CertificationType: "SVLK",
			ExplanationEn: "Indonesia lets forestry-industry products named in an annex of the trade ministry's rules (Permendag 84/2016, 38/2017 and 45/2020) " +
				"leave only with a timber legality document (V-Legal) under the SVLK scheme, which needs an SVLK certificate from an accredited body. " +
				"Whether drums of HS 9206 are in that annex is not confirmed.",
			ExplanationId: "Indonesia hanya mengizinkan ekspor produk industri kehutanan yang tercantum dalam lampiran peraturan Kementerian Perdagangan (Permendag 84/2016, 38/2017, dan 45/2020) " +
				"dengan dokumen legalitas kayu (V-Legal) dalam skema SVLK, yang memerlukan sertifikat SVLK dari lembaga terakreditasi. " +
				"Apakah kendang dengan HS 9206 termasuk dalam lampiran tersebut belum dipastikan.",
			SourceTitle:  "agroindonesia.co.id; Permendag 84/2016, 38/2017, 45/2020",
			Confirmation: pb.Requirement_TO_VERIFY,
			VerificationNote: "Check whether HS 9206 is in the annex of products that need a V-Legal document under the current Permendag " +
				"(84/2016 as amended by 38/2017 and 45/2020).",
		},
	}
}

// originRows are the certificate of origin, which any product may use: one
// row per category because a row must name a category or an HS prefix.
func originRows() []*pb.Requirement {
	categories := []struct {
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
	rows := make([]*pb.Requirement, 0, len(categories))
	for _, c := range categories {
		rows = append(rows, &pb.Requirement{
			Name:              idPrefix + "origin-ska-" + c.id,
			Title:             "Certificate of origin (SKA / e-SKA) for preferential tariffs",
			Category:          c.c,
			Kind:              pb.Requirement_CERTIFICATE,
			Obligation:        pb.Requirement_RECOMMENDED,
			ResponsibleParty:  pb.Requirement_EXPORTER,
			Authority:         kemendag,
			Document:          "certificate of origin (SKA, issued online as e-SKA)",
			CertificationType: typeSKA,
			ExplanationEn: "A certificate of origin lets the buyer claim the lower duty of a trade agreement, such as Form E under the ASEAN-China agreement " +
				"or the form of the ASEAN-Japan agreement. Goods can ship without it, but with it they cost the buyer less. Kemendag issues it online (e-SKA).",
			ExplanationId: "Surat keterangan asal (SKA) memungkinkan pembeli memperoleh bea masuk lebih rendah dari perjanjian perdagangan, misalnya Form E dalam perjanjian ASEAN-Tiongkok " +
				"atau formulir perjanjian ASEAN-Jepang. Barang tetap dapat dikirim tanpa SKA, tetapi dengan SKA harganya lebih murah bagi pembeli. Kemendag menerbitkannya secara daring (e-SKA).",
			SourceTitle:  kemendag,
			Confirmation: pb.Requirement_CONFIRMED,
		})
	}
	return rows
}

func leadDays(n int32) *int32 { return &n }
