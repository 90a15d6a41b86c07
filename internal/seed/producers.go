package seed

import (
	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Producer ids, named here because consolidators and listings refer to them.
const (
	// Djembe (kendang jimbe) workshops in Nglegok, Garum and Kanigoro.
	kendangJaya     = "kendang-jaya-nglegok"
	jimbePenataran  = "jimbe-penataran"
	sumberRejeki    = "sumber-rejeki-jimbe"
	garumPerkusi    = "garum-perkusi-nusantara"
	tigaPutra       = "tiga-putra-slorok"
	jimbeMasTingal  = "jimbe-mas-tingal"
	mahoniKanigoro  = "mahoni-kanigoro"
	sanggarSawentar = "sanggar-jimbe-sawentar"
	gaprangCraft    = "gaprang-craft"
	// Kampung Kendang Sentul is in Kota Blitar, the city: its makers supply
	// the regency's consolidators too.
	kendangSentul = "kendang-sentul-kota-blitar"

	// Consolidators: firms that collect goods from several makers and ship
	// them under their own name.
	bintangTimur  = "bintang-timur-ekspor"
	eksporMandiri = "blitar-ekspor-mandiri"
	koperasiKoi   = "koperasi-mina-koi-blitar"

	// Sambal pecel micro-firms.
	sambalSriRejeki = "sambal-sri-rejeki"
	pecelMbokDarmi  = "pecel-mbok-darmi"
	rasaWlingi      = "rasa-wlingi"
	pecelLestari    = "pecel-lestari-kademangan"

	// Koi farms.
	minaKanigoro  = "mina-kanigoro-koi"
	sumberKoi     = "sumber-koi-sanankulon"
	koiDayu       = "koi-dayu-nglegok"
	talunKoi      = "talun-koi-centre"
	wlingiNishiki = "wlingi-nishikigoi"

	// Ornamental-plant growers.
	kebunAroid     = "kebun-aroid-satreyan"
	floraTalun     = "flora-talun-nusantara"
	griyaPhilo     = "griya-philodendron-jiwut"
	tamanAnthurium = "taman-anthurium-gandusari"

	// Handicraft workshops.
	karyaBambu     = "karya-bambu-wonodadi"
	batokSutojayan = "batok-kelapa-sutojayan"
)

func producers(c clock) []*pb.Producer {
	var all []*pb.Producer
	for _, group := range [][]*pb.Producer{
		djembeMakers(c),
		consolidators(c),
		sambalMakers(c),
		koiFarms(c),
		plantGrowers(c),
		craftWorkshops(),
	} {
		all = append(all, group...)
	}
	return all
}

// Issuers, spelled the same way everywhere so that filters find them.
const (
	issuerBarantin = "Barantin"
	issuerDinkes   = "Dinas Kesehatan Kabupaten Blitar"
	issuerBPOM     = "BPOM"
	issuerBPJPH    = "BPJPH"
	issuerLVLK     = "LVLK PT Mutu Kayu Nusantara"
	issuerFDA      = "US FDA"
	// The trade office records its own checks (labels, packing).
	issuerDisperindag = "Disperindag Kabupaten Blitar"
)

// djembeMakers are the kendang jimbe workshops: mostly small (5-40 workers),
// mahogany bodies and goatskin heads, many of them selling through a Surabaya
// exporter rather than in their own name.
func djembeMakers(c clock) []*pb.Producer {
	return []*pb.Producer{
		{
			Name:          producerName(kendangJaya),
			DisplayName:   "Kendang Jaya Nglegok",
			LegalName:     "UD Kendang Jaya",
			BusinessId:    "9120106452381",
			Kind:          pb.Producer_PRODUCER,
			District:      "Nglegok",
			Village:       "Modangan",
			Address:       "Dusun Krajan RT 02 RW 01, Modangan",
			Contact:       contact("Suparno", "+6281234610287", "+6281234610287", "suparno@kendangjaya.example"),
			LanguageCodes: langs("id"),
			YearFounded:   2009,
			WorkerCount:   28,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2025, usd(96_000), "through a Surabaya exporter"),
				export("CN", 2024, usd(118_000), "through a Surabaya exporter; part of the 7-container order"),
				export("TW", 2023, usd(21_500), "through a Surabaya exporter"),
				export("CN", 2022, usd(87_000), "through a Surabaya exporter"),
			},
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB checked in OSS; workshop visited by Disperindag staff.",
		},
		{
			Name:          producerName(jimbePenataran),
			DisplayName:   "Jimbe Penataran",
			LegalName:     "CV Jimbe Penataran Abadi",
			BusinessId:    "9120208834176",
			Kind:          pb.Producer_PRODUCER,
			District:      "Nglegok",
			Village:       "Penataran",
			Address:       "Jl. Raya Candi Penataran No. 41",
			Contact:       contact("Dwi Rahmawati", "+6285735142906", "+6285735142906", "dwi@jimbepenataran.example"),
			WebsiteUri:    "https://jimbepenataran.example",
			LanguageCodes: langs("id", "en", "zh"),
			YearFounded:   2014,
			WorkerCount:   16,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2025, usd(64_000), "first shipments in own name after Adi Ekspor incubation"),
				export("TW", 2024, usd(18_200), ""),
				export("CN", 2023, usd(40_500), "through a Surabaya exporter"),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("ISPM15", "ID-035-0142 HT", issuerBarantin, c.monthsFromNow(-20), nil),
				cert("SVLK", "S-LK/MKN/0871/2024", issuerLVLK, c.monthsFromNow(-18), c.monthsFromNow(54)),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB, SVLK and export documents for 2025 checked; Adi Ekspor 2023 cohort.",
		},
		{
			Name:          producerName(sumberRejeki),
			DisplayName:   "Sumber Rejeki Jimbe",
			LegalName:     "UD Sumber Rejeki",
			BusinessId:    "1233004561829",
			Kind:          pb.Producer_PRODUCER,
			District:      "Nglegok",
			Village:       "Kedawung",
			Address:       "Dusun Kedawung Wetan RT 04 RW 02",
			Contact:       contact("Joko Susilo", "+6282143307815", "+6282143307815", "joko@sumberrejeki.example"),
			LanguageCodes: langs("id"),
			YearFounded:   2016,
			WorkerCount:   9,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2024, idr(640_000_000), "through a Surabaya exporter"),
				export("CN", 2023, idr(515_000_000), "through a Surabaya exporter"),
			},
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB checked; visited during the 2024 djembe cluster survey.",
		},
		{
			Name:          producerName(garumPerkusi),
			DisplayName:   "Garum Perkusi Nusantara",
			LegalName:     "CV Garum Perkusi Nusantara",
			BusinessId:    "8120015739046",
			Kind:          pb.Producer_PRODUCER,
			District:      "Garum",
			Village:       "Bence",
			Address:       "Jl. Raya Garum-Bence No. 7",
			Contact:       contact("Bambang Hariyanto", "+6281336472019", "+6281336472091", "export@garumperkusi.example"),
			WebsiteUri:    "https://garumperkusi.example",
			LanguageCodes: langs("id", "en", "zh", "ja"),
			YearFounded:   2005,
			WorkerCount:   40,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2025, usd(152_000), ""),
				export("JP", 2025, usd(23_400), "school and hobby market"),
				export("CN", 2024, usd(171_000), ""),
				export("TW", 2024, usd(36_800), ""),
				export("US", 2023, usd(28_000), "a shared 40-foot container"),
				export("CN", 2022, usd(139_000), ""),
				export("CN", 2021, usd(97_000), "through a Surabaya exporter"),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("SVLK", "S-LK/MKN/0523/2023", issuerLVLK, c.monthsFromNow(-30), c.monthsFromNow(42)),
				cert("ISPM15", "ID-035-0097 HT", issuerBarantin, c.monthsFromNow(-40), nil),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB, SVLK certificate and PEB export declarations checked.",
		},
		{
			Name:          producerName(tigaPutra),
			DisplayName:   "Tiga Putra Slorok",
			LegalName:     "UD Tiga Putra",
			BusinessId:    "9120312047653",
			Kind:          pb.Producer_PRODUCER,
			District:      "Garum",
			Village:       "Slorok",
			Contact:       contact("Eko Prasetyo", "+6287859321046", "+6287859321046", "tigaputra.slorok@mail.example"),
			LanguageCodes: langs("id"),
			YearFounded:   2018,
			WorkerCount:   12,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2024, nil, "through a Surabaya exporter; value not recorded"),
			},
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_PENDING_REVIEW,
			VerificationNote:  "Asked for verification; workshop visit not yet scheduled.",
		},
		{
			Name:              producerName(jimbeMasTingal),
			DisplayName:       "Jimbe Mas Tingal",
			LegalName:         "UD Mas Tingal",
			BusinessId:        "1240007735218",
			Kind:              pb.Producer_PRODUCER,
			District:          "Garum",
			Village:           "Tingal",
			Contact:           contact("Mujiono", "+6285604719283", "+6285604719283", ""),
			LanguageCodes:     langs("id"),
			YearFounded:       2020,
			WorkerCount:       6,
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_UNVERIFIED,
		},
		{
			Name:          producerName(mahoniKanigoro),
			DisplayName:   "Mahoni Kanigoro",
			LegalName:     "UD Mahoni Kanigoro",
			BusinessId:    "9120403318820",
			Kind:          pb.Producer_PRODUCER,
			District:      "Kanigoro",
			Village:       "Papungan",
			Address:       "Jl. Papungan No. 18",
			Contact:       contact("Teguh Wibowo", "+6281259830471", "+6281259830471", "teguh@mahonikanigoro.example"),
			LanguageCodes: langs("id", "en"),
			YearFounded:   2011,
			WorkerCount:   22,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2025, usd(58_000), "through a Surabaya exporter"),
				export("CN", 2024, usd(71_000), "through a Surabaya exporter; part of the 7-container order"),
				export("TW", 2022, usd(9_800), "through a Surabaya exporter"),
			},
			ExportsInOwnName: false,
			Certifications: []*pb.Certification{
				cert("SVLK", "S-LK/MKN/0315/2022", issuerLVLK, c.monthsFromNow(-50), c.monthsFromNow(-2)),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB checked; SVLK certificate has lapsed and renewal is in progress.",
		},
		{
			Name:              producerName(sanggarSawentar),
			DisplayName:       "Sanggar Jimbe Sawentar",
			BusinessId:        "1260002984137",
			Kind:              pb.Producer_PRODUCER,
			District:          "Kanigoro",
			Village:           "Sawentar",
			Contact:           contact("Kusnadi", "+6289530126478", "+6289530126478", ""),
			LanguageCodes:     langs("id"),
			YearFounded:       2021,
			WorkerCount:       5,
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_UNVERIFIED,
		},
		{
			Name:          producerName(gaprangCraft),
			DisplayName:   "Gaprang Craft",
			LegalName:     "CV Gaprang Kriya Mandiri",
			BusinessId:    "8120117402365",
			Kind:          pb.Producer_PRODUCER,
			District:      "Kanigoro",
			Village:       "Gaprang",
			Address:       "Jl. Gaprang Raya No. 3",
			Contact:       contact("Rini Puspitasari", "+6282231457609", "+6282231457609", "rini@gaprangcraft.example"),
			WebsiteUri:    "https://gaprangcraft.example",
			LanguageCodes: langs("id", "en"),
			YearFounded:   2015,
			WorkerCount:   18,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2024, usd(33_000), "painted djembe, through a Surabaya exporter"),
				export("FR", 2023, usd(7_400), "painted djembe for a Marseille shop, through a Surabaya exporter"),
			},
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB checked; workshop visited.",
		},
		{
			Name:          producerName(kendangSentul),
			DisplayName:   "Kendang Sentul",
			BusinessId:    "1260003318540",
			Kind:          pb.Producer_PRODUCER,
			District:      "Kota Blitar",
			Village:       "Sentul",
			Address:       "Kampung Kendang Sentul, Kelurahan Sentul, Kepanjenkidul",
			Contact:       contact("Slamet Riyadi", "+6285649203817", "+6285649203817", ""),
			LanguageCodes: langs("id"),
			YearFounded:   2016,
			WorkerCount:   9,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2025, usd(21_000), "through Bintang Timur Ekspor; part of the 7-container order"),
			},
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB checked; workshop in Kampung Kendang Sentul visited.",
		},
	}
}

// consolidators ship for several makers under one name. Bintang Timur is
// modelled on the order of 7 containers filled by 23 craftsmen.
func consolidators(c clock) []*pb.Producer {
	return []*pb.Producer{
		{
			Name:        producerName(bintangTimur),
			DisplayName: "Bintang Timur Ekspor",
			LegalName:   "CV Bintang Timur Ekspor Blitar",
			BusinessId:  "9120009876014",
			Kind:        pb.Producer_CONSOLIDATOR,
			MemberProducers: []string{
				producerName(kendangJaya),
				producerName(sumberRejeki),
				producerName(tigaPutra),
				producerName(jimbeMasTingal),
				producerName(mahoniKanigoro),
				producerName(sanggarSawentar),
				producerName(kendangSentul),
			},
			District:      "Nglegok",
			Village:       "Ngoran",
			Address:       "Jl. Raya Nglegok-Ngoran No. 25 (gudang)",
			Contact:       contact("Hadi Santoso", "+6281130458217", "+6281130458217", "hadi@bintangtimur.example"),
			WebsiteUri:    "https://bintangtimur.example",
			LanguageCodes: langs("id", "en", "zh"),
			YearFounded:   2012,
			WorkerCount:   35,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2025, usd(277_000), "7 containers (about 18,500 drums) shipped to Shenzhen and Shanghai, made by 23 craftsmen in Nglegok, Garum, Kanigoro and Kota Blitar"),
				export("CN", 2024, usd(310_000), ""),
				export("TW", 2024, usd(52_000), ""),
				export("CN", 2023, usd(268_000), ""),
				export("TW", 2022, usd(31_000), ""),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("ISPM15", "ID-035-0061 HT", issuerBarantin, c.monthsFromNow(-44), nil),
				cert("SVLK", "S-LK/MKN/0602/2024", issuerLVLK, c.monthsFromNow(-14), c.monthsFromNow(58)),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB, SVLK and the 2025 container shipping documents checked; member list confirmed with the makers.",
		},
		{
			Name:        producerName(eksporMandiri),
			DisplayName: "Blitar Ekspor Mandiri",
			LegalName:   "CV Blitar Ekspor Mandiri",
			BusinessId:  "9120521630498",
			Kind:        pb.Producer_CONSOLIDATOR,
			MemberProducers: []string{
				producerName(gaprangCraft),
				producerName(mahoniKanigoro),
				producerName(jimbePenataran),
				producerName(karyaBambu),
				producerName(batokSutojayan),
			},
			District:      "Kanigoro",
			Village:       "Kanigoro",
			Address:       "Jl. Kanigoro-Kademangan No. 9",
			Contact:       contact("Nur Hidayati", "+6285230716493", "+6285230716493", "nur@blitarekspor.example"),
			LanguageCodes: langs("id", "en"),
			YearFounded:   2022,
			WorkerCount:   8,
			ExportHistory: []*pb.ExportRecord{
				export("CN", 2025, usd(74_000), "mixed djembe container"),
				export("DE", 2024, usd(12_600), "djembe and bamboo baskets, mixed LCL shipment"),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("ISPM15", "ID-035-0188 HT", issuerBarantin, c.monthsFromNow(-12), nil),
			},
			VerificationState: pb.VerificationState_PENDING_REVIEW,
			VerificationNote:  "Member agreements received; waiting for export declarations.",
		},
		{
			Name:        producerName(koperasiKoi),
			DisplayName: "Koperasi Mina Koi Blitar",
			LegalName:   "Koperasi Produsen Mina Koi Blitar",
			BusinessId:  "9120630217745",
			Kind:        pb.Producer_CONSOLIDATOR,
			MemberProducers: []string{
				producerName(sumberKoi),
				producerName(koiDayu),
				producerName(talunKoi),
			},
			District:      "Sanankulon",
			Village:       "Sanankulon",
			Address:       "Jl. Raya Sanankulon No. 60",
			Contact:       contact("Wahyu Nugroho", "+6281333908124", "+6281333908124", "wahyu@minakoiblitar.example"),
			LanguageCodes: langs("id", "en"),
			YearFounded:   2019,
			WorkerCount:   6,
			ExportHistory: []*pb.ExportRecord{
				export("SG", 2024, usd(9_600), ""),
				export("MY", 2023, usd(7_200), ""),
				export("MY", 2022, usd(4_800), "first direct koi export from Blitar: 80 fish by air; earlier lots went through Jakarta"),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("CKIB", "CKIB/35.05/0019/2023", issuerBarantin, c.monthsFromNow(-26), c.monthsFromNow(10)),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Cooperative deed, NIB and CKIB checked.",
		},
	}
}

// sambalMakers are the sambal pecel micro-firms: a few kilograms a week by
// air to Indonesian workers in Hong Kong, 3 kg minimum order.
func sambalMakers(c clock) []*pb.Producer {
	return []*pb.Producer{
		{
			Name:          producerName(sambalSriRejeki),
			DisplayName:   "Sambal Pecel Sri Rejeki",
			LegalName:     "UD Sri Rejeki",
			BusinessId:    "1211003475620",
			Kind:          pb.Producer_PRODUCER,
			District:      "Srengat",
			Village:       "Srengat",
			Address:       "Jl. Pasar Srengat No. 14",
			Contact:       contact("Sri Wahyuni", "+6285649302718", "+6285649302718", "sri@sambalsrirejeki.example"),
			LanguageCodes: langs("id"),
			YearFounded:   2013,
			WorkerCount:   4,
			ExportHistory: []*pb.ExportRecord{
				export("HK", 2025, idr(68_000_000), "about 10 kg a week to Indonesian workers, by air parcel"),
				export("HK", 2024, idr(61_000_000), "about 10 kg a week to Indonesian workers, by air parcel"),
				export("HK", 2021, idr(22_000_000), "first orders from former customers working in Hong Kong"),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("PIRT", "P-IRT 2063505010734-27", issuerDinkes, c.monthsFromNow(-34), c.monthsFromNow(26)),
				cert("HALAL", "ID35110000873420122", issuerBPJPH, c.monthsFromNow(-30), nil),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "P-IRT and halal certificate checked; kitchen visited.",
		},
		{
			Name:              producerName(pecelMbokDarmi),
			DisplayName:       "Pecel Mbok Darmi",
			BusinessId:        "1250004128839",
			Kind:              pb.Producer_PRODUCER,
			District:          "Ponggok",
			Village:           "Ponggok",
			Contact:           contact("Sudarmi", "+6283847165390", "+6283847165390", ""),
			LanguageCodes:     langs("id"),
			YearFounded:       2019,
			WorkerCount:       3,
			ExportHistory:     []*pb.ExportRecord{export("HK", 2024, nil, "small parcels sent by relatives")},
			ExportsInOwnName:  false,
			Certifications:    []*pb.Certification{cert("PIRT", "P-IRT 2063505010912-28", issuerDinkes, c.monthsFromNow(-16), c.monthsFromNow(44))},
			VerificationState: pb.VerificationState_UNVERIFIED,
		},
		{
			Name:          producerName(rasaWlingi),
			DisplayName:   "Rasa Wlingi",
			LegalName:     "CV Rasa Wlingi Sejahtera",
			BusinessId:    "9120714503386",
			Kind:          pb.Producer_PRODUCER,
			District:      "Wlingi",
			Village:       "Wlingi",
			Address:       "Jl. Raya Wlingi No. 112",
			Contact:       contact("Endang Lestari", "+6281216740953", "+6281216740953", "endang@rasawlingi.example"),
			WebsiteUri:    "https://rasawlingi.example",
			LanguageCodes: langs("id", "en", "zh"),
			YearFounded:   2010,
			WorkerCount:   11,
			ExportHistory: []*pb.ExportRecord{
				export("HK", 2025, usd(14_800), ""),
				export("TW", 2025, usd(6_300), "shops serving Indonesian workers in Taoyuan"),
				export("HK", 2024, usd(12_100), ""),
				export("MY", 2023, usd(3_900), ""),
				export("SA", 2023, usd(2_700), "pilgrimage season, with a Surabaya travel agent"),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("BPOM_MD", "BPOM RI MD 254913011235", issuerBPOM, c.monthsFromNow(-28), c.monthsFromNow(32)),
				cert("HALAL", "ID35110001932580323", issuerBPJPH, c.monthsFromNow(-24), nil),
				cert("HACCP", "HACCP/PMP/2024/0317", "PT Penjaminan Mutu Pangan", c.monthsFromNow(-13), c.monthsFromNow(23)),
				// Labels in English and Chinese with the peanut allergen and a
				// nutrition label, checked by the trade office; an FDA food
				// facility registration, valid to the end of the even year in
				// which it must next be renewed.
				cert("HK_FOOD_LABEL_CHECK", "DISPERINDAG/LBL/2025/014", issuerDisperindag, c.monthsFromNow(-5), nil),
				cert("FDA_FOOD_FACILITY", "FFR 17385402916", issuerFDA, c.monthsFromNow(-8), c.endOfFDAPeriod()),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "BPOM MD number, halal certificate and HACCP audit report checked.",
		},
		{
			Name:          producerName(pecelLestari),
			DisplayName:   "Pecel Lestari Kademangan",
			LegalName:     "UD Lestari Rasa",
			BusinessId:    "1240009351706",
			Kind:          pb.Producer_PRODUCER,
			District:      "Kademangan",
			Village:       "Kademangan",
			Contact:       contact("Anik Mardiyah", "+6287755019384", "+6287755019384", "anik.lestari@mail.example"),
			LanguageCodes: langs("id"),
			YearFounded:   2017,
			WorkerCount:   5,
			ExportHistory: []*pb.ExportRecord{
				export("HK", 2023, idr(18_500_000), "through an agent in Tulungagung"),
			},
			ExportsInOwnName: false,
			Certifications: []*pb.Certification{
				cert("PIRT", "P-IRT 2063505010458-26", issuerDinkes, c.monthsFromNow(-50), c.daysFromNow(40)),
				cert("HALAL", "ID35110002214770124", issuerBPJPH, c.monthsFromNow(-20), nil),
			},
			VerificationState: pb.VerificationState_PENDING_REVIEW,
			VerificationNote:  "P-IRT expires soon; asked for the renewal receipt.",
		},
	}
}

// koiFarms are koi breeders. CKIB (not a legal condition, but what buyers ask
// for) sets them apart; the fish health certificate is issued per consignment
// and no farm holds one on file. Some CKIBs have lapsed or are about to.
func koiFarms(c clock) []*pb.Producer {
	return []*pb.Producer{
		{
			Name:          producerName(minaKanigoro),
			DisplayName:   "Mina Kanigoro Koi Farm",
			LegalName:     "CV Mina Kanigoro",
			BusinessId:    "9120825146093",
			Kind:          pb.Producer_PRODUCER,
			District:      "Kanigoro",
			Village:       "Kuningan",
			Address:       "Jl. Kuningan-Satreyan, kolam blok B",
			Contact:       contact("Fajar Kurniawan", "+6281330275619", "+6281330275619", "fajar@minakanigoro.example"),
			WebsiteUri:    "https://minakanigoro.example",
			LanguageCodes: langs("id", "en", "ja"),
			YearFounded:   2008,
			WorkerCount:   15,
			ExportHistory: []*pb.ExportRecord{
				export("JP", 2025, usd(38_500), "Kohaku and Sanke, by air from Surabaya"),
				export("US", 2025, usd(17_200), ""),
				export("JP", 2024, usd(24_000), ""),
				export("SG", 2023, usd(8_300), ""),
				export("MY", 2022, usd(3_600), ""),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("CKIB", "CKIB/35.05/0007/2022", issuerBarantin, c.monthsFromNow(-30), c.monthsFromNow(18)),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "CKIB certificate and Barantin health certificates checked; ponds visited.",
		},
		{
			Name:          producerName(sumberKoi),
			DisplayName:   "Sumber Koi Sanankulon",
			LegalName:     "UD Sumber Koi",
			BusinessId:    "9120917360451",
			Kind:          pb.Producer_PRODUCER,
			District:      "Sanankulon",
			Village:       "Plosoarang",
			Contact:       contact("Heru Cahyono", "+6285791204637", "+6285791204637", "heru@sumberkoi.example"),
			LanguageCodes: langs("id", "en"),
			YearFounded:   2012,
			WorkerCount:   9,
			ExportHistory: []*pb.ExportRecord{
				export("MY", 2024, usd(5_400), "through Koperasi Mina Koi Blitar"),
				export("SG", 2023, usd(2_100), "through a Jakarta exporter"),
			},
			ExportsInOwnName: false,
			Certifications: []*pb.Certification{
				cert("CKIB", "CKIB/35.05/0023/2024", issuerBarantin, c.monthsFromNow(-14), c.monthsFromNow(22)),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "CKIB checked; Barantin health certificates of past consignments seen.",
		},
		{
			Name:          producerName(koiDayu),
			DisplayName:   "Koi Dayu Nglegok",
			LegalName:     "UD Dayu Nishiki",
			BusinessId:    "1230005872914",
			Kind:          pb.Producer_PRODUCER,
			District:      "Nglegok",
			Village:       "Dayu",
			Contact:       contact("Lilik Suryani", "+6282245610978", "+6282245610978", "lilik@koidayu.example"),
			LanguageCodes: langs("id"),
			YearFounded:   2015,
			WorkerCount:   7,
			ExportHistory: []*pb.ExportRecord{
				export("US", 2023, usd(4_200), "through a Bogor exporter"),
				export("MY", 2022, nil, "through Koperasi Mina Koi Blitar"),
			},
			ExportsInOwnName: false,
			Certifications: []*pb.Certification{
				cert("CKIB", "CKIB/35.05/0011/2022", issuerBarantin, c.monthsFromNow(-38), c.monthsFromNow(-2)),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Farm visited; CKIB has expired and must be renewed before direct export.",
		},
		{
			Name:              producerName(talunKoi),
			DisplayName:       "Talun Koi Centre",
			BusinessId:        "1260008140327",
			Kind:              pb.Producer_PRODUCER,
			District:          "Talun",
			Village:           "Jeblog",
			Contact:           contact("Sugeng Purnomo", "+6289678031254", "+6289678031254", ""),
			LanguageCodes:     langs("id"),
			YearFounded:       2020,
			WorkerCount:       4,
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_UNVERIFIED,
		},
		{
			Name:          producerName(wlingiNishiki),
			DisplayName:   "Wlingi Nishikigoi",
			LegalName:     "CV Wlingi Nishikigoi Indonesia",
			BusinessId:    "8120230584617",
			Kind:          pb.Producer_PRODUCER,
			District:      "Wlingi",
			Village:       "Beru",
			Address:       "Jl. Beru-Tangkil, kolam Sumber Urip",
			Contact:       contact("Yuli Astutik", "+6281359846072", "+6281359846072", "yuli@wlinginishiki.example"),
			WebsiteUri:    "https://wlinginishiki.example",
			LanguageCodes: langs("id", "en", "ja"),
			YearFounded:   2010,
			WorkerCount:   20,
			ExportHistory: []*pb.ExportRecord{
				export("US", 2025, usd(44_000), "jumbo koi to Florida"),
				export("JP", 2024, usd(19_500), ""),
				export("US", 2024, usd(31_000), ""),
				export("US", 2022, usd(12_000), "through a Jakarta exporter"),
			},
			ExportsInOwnName: true,
			Certifications: []*pb.Certification{
				cert("CKIB", "CKIB/35.05/0015/2023", issuerBarantin, c.monthsFromNow(-20), c.daysFromNow(50)),
			},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "CKIB and health certificates checked; CKIB renewal due soon.",
		},
	}
}

// plantGrowers grow aroids and other foliage for the US market, which needs
// a phytosanitary certificate on every shipment.
func plantGrowers(c clock) []*pb.Producer {
	return []*pb.Producer{
		{
			Name:          producerName(kebunAroid),
			DisplayName:   "Kebun Aroid Satreyan",
			LegalName:     "CV Aroid Satreyan",
			BusinessId:    "9121003659278",
			Kind:          pb.Producer_PRODUCER,
			District:      "Kanigoro",
			Village:       "Satreyan",
			Address:       "Dusun Satreyan RT 01 RW 04 (greenhouse)",
			Contact:       contact("Agus Setiawan", "+6285855139720", "+6285855139720", "agus@kebunaroid.example"),
			WebsiteUri:    "https://kebunaroid.example",
			LanguageCodes: langs("id", "en"),
			YearFounded:   2019,
			WorkerCount:   12,
			ExportHistory: []*pb.ExportRecord{
				export("US", 2025, usd(41_000), "variegated monstera, tissue-culture plantlets and rooted cuttings"),
				export("US", 2024, usd(35_500), ""),
				export("CA", 2023, usd(6_200), ""),
				export("US", 2021, usd(18_000), "through a Jakarta exporter"),
			},
			ExportsInOwnName:  true,
			Certifications:    []*pb.Certification{},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Greenhouse visited; phytosanitary certificates of the last shipments checked.",
		},
		{
			Name:          producerName(floraTalun),
			DisplayName:   "Flora Talun Nusantara",
			LegalName:     "CV Flora Talun Nusantara",
			BusinessId:    "9121108473015",
			Kind:          pb.Producer_PRODUCER,
			District:      "Talun",
			Village:       "Kaweron",
			Contact:       contact("Puji Rahayu", "+6281231984506", "+6281231984506", "puji@floratalun.example"),
			LanguageCodes: langs("id", "en"),
			YearFounded:   2016,
			WorkerCount:   14,
			ExportHistory: []*pb.ExportRecord{
				export("US", 2025, usd(22_300), ""),
				export("NL", 2024, usd(9_100), "anthurium and aglaonema for a Dutch trader"),
				export("CA", 2024, usd(5_800), ""),
				export("US", 2023, usd(15_700), ""),
			},
			ExportsInOwnName:  true,
			Certifications:    []*pb.Certification{},
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "Nursery visited; NIB checked.",
		},
		{
			Name:              producerName(griyaPhilo),
			DisplayName:       "Griya Philodendron Jiwut",
			BusinessId:        "1270003316452",
			Kind:              pb.Producer_PRODUCER,
			District:          "Nglegok",
			Village:           "Jiwut",
			Contact:           contact("Tri Wulandari", "+6287702946183", "+6287702946183", "wulan.philo@mail.example"),
			LanguageCodes:     langs("id", "en"),
			YearFounded:       2021,
			WorkerCount:       3,
			ExportHistory:     []*pb.ExportRecord{export("US", 2023, usd(2_400), "online sales, shipped by a Jakarta forwarder")},
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_UNVERIFIED,
		},
		{
			Name:              producerName(tamanAnthurium),
			DisplayName:       "Taman Anthurium Gandusari",
			LegalName:         "UD Taman Hijau",
			BusinessId:        "1240006607231",
			Kind:              pb.Producer_PRODUCER,
			District:          "Gandusari",
			Village:           "Gandusari",
			Contact:           contact("Arif Wicaksono", "+6285258631904", "+6285258631904", "arif@tamananthurium.example"),
			LanguageCodes:     langs("id"),
			YearFounded:       2018,
			WorkerCount:       6,
			Certifications:    []*pb.Certification{},
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_PENDING_REVIEW,
			VerificationNote:  "No shipment in the last year; greenhouse inspection pending.",
		},
	}
}

// craftWorkshops make handicraft other than instruments.
func craftWorkshops() []*pb.Producer {
	return []*pb.Producer{
		{
			Name:          producerName(karyaBambu),
			DisplayName:   "Karya Bambu Wonodadi",
			LegalName:     "UD Karya Bambu",
			BusinessId:    "1230002749561",
			Kind:          pb.Producer_PRODUCER,
			District:      "Wonodadi",
			Village:       "Wonodadi",
			Contact:       contact("Sugiarti", "+6281249057316", "+6281249057316", "karyabambu@mail.example"),
			LanguageCodes: langs("id"),
			YearFounded:   2006,
			WorkerCount:   30,
			ExportHistory: []*pb.ExportRecord{
				export("DE", 2024, usd(5_900), "through CV Blitar Ekspor Mandiri"),
			},
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_VERIFIED,
			VerificationNote:  "NIB checked; home workers counted from the workshop's register.",
		},
		{
			Name:              producerName(batokSutojayan),
			DisplayName:       "Batok Kelapa Sutojayan",
			LegalName:         "UD Batok Art",
			BusinessId:        "1250007193048",
			Kind:              pb.Producer_PRODUCER,
			District:          "Sutojayan",
			Village:           "Sutojayan",
			Contact:           contact("Imam Mahmudi", "+6285334219870", "+6285334219870", "batokart@mail.example"),
			LanguageCodes:     langs("id"),
			YearFounded:       2017,
			WorkerCount:       8,
			ExportsInOwnName:  false,
			VerificationState: pb.VerificationState_PENDING_REVIEW,
			VerificationNote:  "Samples seen at the Adi Ekspor fair; papers not yet checked.",
		},
	}
}
