package synth

import pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"

// weighted is a value with a relative weight.
type weighted[T any] struct {
	v T
	w float64
}

// family is a product family: what its producers make, where they are and
// whom they sell to. The weights follow FACTS.md: djembe dominates, then
// koi, ornamental plants, sambal pecel and other handicraft.
type family struct {
	key       string
	category  pb.Category
	weight    float64
	districts []weighted[string]
	hsCodes   []string
	units     []string
	// Price per unit in US cents: a typical low and the spread up to the
	// highest prices of the family.
	priceLo, priceHi int64
	markets          []weighted[string]
	certs            []string
	namePrefixes     []string
}

var families = []family{
	{
		key: "djembe", category: pb.Category_MUSICAL_INSTRUMENT, weight: 0.45,
		districts: []weighted[string]{{"Nglegok", 35}, {"Garum", 30}, {"Kanigoro", 25}, {"Talun", 3}, {"Ponggok", 3}, {"Wlingi", 2}, {"Gandusari", 2}},
		hsCodes:   []string{"920600", "920600", "92060000", "9206"},
		units:     []string{"piece", "piece", "piece", "set"},
		priceLo:   900, priceHi: 14000,
		markets:      []weighted[string]{{"CN", 40}, {"TW", 20}, {"JP", 8}, {"US", 8}, {"DE", 5}, {"FR", 4}, {"KR", 3}, {"AU", 2}, {"NL", 2}, {"GB", 2}},
		certs:        []string{"SVLK", "ISPM15"},
		namePrefixes: []string{"Jimbe", "Kendang", "Djembe", "Perkusi", "Sanggar Jimbe", "Mahoni"},
	},
	{
		key: "koi", category: pb.Category_ORNAMENTAL_FISH, weight: 0.18,
		districts: []weighted[string]{{"Kanigoro", 20}, {"Sanankulon", 20}, {"Nglegok", 15}, {"Talun", 12}, {"Wlingi", 12}, {"Srengat", 8}, {"Kademangan", 6}, {"Selopuro", 4}, {"Udanawu", 3}},
		hsCodes:   []string{"03011191", "030111", "0301", "03011199"},
		units:     []string{"fish"},
		priceLo:   800, priceHi: 60000,
		markets:      []weighted[string]{{"JP", 25}, {"US", 25}, {"MY", 15}, {"SG", 12}, {"HK", 6}, {"TW", 5}, {"CN", 5}, {"TH", 3}, {"AE", 2}, {"NL", 2}},
		certs:        []string{"CKIB", "FISH_HEALTH_CERTIFICATE"},
		namePrefixes: []string{"Koi", "Mina", "Nishikigoi", "Kolam Koi", "Koi Farm"},
	},
	{
		key: "plant", category: pb.Category_ORNAMENTAL_PLANT, weight: 0.17,
		districts: []weighted[string]{{"Kanigoro", 18}, {"Talun", 16}, {"Nglegok", 16}, {"Gandusari", 14}, {"Wlingi", 10}, {"Selorejo", 8}, {"Doko", 6}, {"Kesamben", 6}, {"Garum", 6}},
		hsCodes:   []string{"060290", "0602", "06029090", "060290"},
		units:     []string{"pot", "pot", "plant", "cutting"},
		priceLo:   300, priceHi: 30000,
		markets:      []weighted[string]{{"US", 45}, {"CA", 12}, {"NL", 10}, {"JP", 6}, {"DE", 5}, {"KR", 4}, {"TW", 4}, {"AU", 3}, {"GB", 3}, {"SG", 3}},
		certs:        []string{"PHYTOSANITARY"},
		namePrefixes: []string{"Kebun", "Flora", "Taman", "Griya", "Aroid", "Nursery"},
	},
	{
		key: "sambal", category: pb.Category_FOOD, weight: 0.10,
		districts: []weighted[string]{{"Srengat", 18}, {"Ponggok", 15}, {"Wlingi", 14}, {"Kademangan", 12}, {"Sutojayan", 10}, {"Sanankulon", 8}, {"Kanigoro", 8}, {"Wates", 5}, {"Binangun", 5}, {"Bakung", 5}},
		hsCodes:   []string{"210390", "210390", "21039090", "2103"},
		units:     []string{"kg", "jar", "pouch", "kg"},
		priceLo:   150, priceHi: 900,
		markets:      []weighted[string]{{"HK", 50}, {"TW", 15}, {"MY", 10}, {"SG", 8}, {"SA", 5}, {"JP", 4}, {"KR", 3}, {"NL", 3}, {"AE", 2}},
		certs:        []string{"PIRT", "HALAL", "BPOM_MD", "HACCP"},
		namePrefixes: []string{"Sambal Pecel", "Pecel", "Rasa", "Bumbu Pecel", "Dapur"},
	},
	{
		key: "craft", category: pb.Category_HANDICRAFT, weight: 0.10,
		districts: []weighted[string]{{"Wonodadi", 22}, {"Sutojayan", 18}, {"Kademangan", 12}, {"Udanawu", 10}, {"Kanigoro", 10}, {"Panggungrejo", 8}, {"Wonotirto", 8}, {"Binangun", 6}, {"Kesamben", 6}},
		hsCodes:   []string{"460211", "960200", "442090", "460219"},
		units:     []string{"piece", "set", "piece"},
		priceLo:   120, priceHi: 4000,
		markets:      []weighted[string]{{"DE", 18}, {"US", 18}, {"NL", 14}, {"JP", 12}, {"FR", 10}, {"AU", 8}, {"GB", 8}, {"CN", 6}, {"KR", 3}},
		certs:        []string{"SVLK"},
		namePrefixes: []string{"Karya", "Kriya", "Bambu", "Batok", "Anyaman", "Kerajinan"},
	},
}

// longTail are destinations a listing may also ship to, most common first,
// so that facet counts on ship_to_country_code have a long tail.
var longTail = []string{
	"US", "CN", "JP", "TW", "HK", "SG", "MY", "DE", "NL", "KR", "AU", "FR", "GB", "CA",
	"AE", "SA", "TH", "VN", "PH", "IT", "ES", "BE", "CH", "SE", "DK", "NO", "FI", "PL",
	"AT", "IE", "NZ", "IN", "QA", "KW", "OM", "BH", "TR", "IL", "ZA", "BR", "MX", "CL",
	"AR", "CO", "PE", "RU", "UA", "CZ", "HU", "RO", "GR", "PT", "BN", "KH", "LA", "MM",
	"LK", "BD", "PK", "EG", "MA", "NG", "KE",
}

var nameWords = []string{
	"Jaya", "Makmur", "Sejahtera", "Abadi", "Lestari", "Mandiri", "Sentosa", "Barokah",
	"Rejeki", "Putra", "Mulia", "Indah", "Agung", "Sari", "Mas", "Tirta", "Bintang",
	"Cahaya", "Sumber", "Karya", "Berkah", "Utama", "Nusantara", "Mekar", "Harapan",
}

var villages = []string{
	"Modangan", "Penataran", "Kedawung", "Bence", "Slorok", "Tingal", "Papungan", "Sawentar",
	"Gaprang", "Ngoran", "Kuningan", "Satreyan", "Plosoarang", "Dayu", "Jeblog", "Beru",
	"Kaweron", "Jiwut", "Sumberagung", "Tawangrejo", "Bacem", "Karangsono", "Ngaglik", "Sukorejo",
}

var people = []string{
	"Suparno", "Dwi Rahmawati", "Joko Susilo", "Bambang Hariyanto", "Eko Prasetyo", "Mujiono",
	"Teguh Wibowo", "Kusnadi", "Rini Puspitasari", "Hadi Santoso", "Nur Hidayati", "Wahyu Nugroho",
	"Sri Wahyuni", "Sudarmi", "Endang Lestari", "Anik Mardiyah", "Fajar Kurniawan", "Heru Cahyono",
	"Lilik Suryani", "Sugeng Purnomo", "Yuli Astutik", "Agus Setiawan", "Puji Rahayu", "Tri Wulandari",
}

// Djembe vocabulary.
var (
	djembeSizes   = []string{"20", "25", "30", "35", "40", "45", "50", "55", "60", "65", "70"}
	djembeWoods   = []string{"mahogany", "mahogany", "mahogany", "mango wood", "suar wood", "teak", "acacia"}
	djembeHeads   = []string{"goatskin", "goatskin", "goatskin", "cowhide", "synthetic"}
	djembeFinish  = []string{"natural varnish", "painted", "carved", "deep carving", "batik pattern", "dot art", "burnt", "unfinished"}
	djembeRopes   = []string{"nylon", "polyester", "pre-stretched polyester", "cotton"}
	djembeTitles  = []string{"Djembe", "Djembe", "Djembe", "Kendang jimbe", "Jimbe", "Hand drum (djembe)", "African drum", "Djembe 非洲鼓", "Djembe ジャンベ"}
	djembeAdjs    = []string{"", "", "Professional ", "Painted ", "Carved ", "Kids' ", "Bass ", "Tuned ", "Natural "}
	djembeSayings = []string{
		"Hand-carved body, %s head, %s rope tuning.",
		"Kiln-dried wood; heads fitted and tuned in the workshop.",
		"Packed in ISPM 15 treated crates for sea freight.",
		"Made by home workers in %s and finished in our workshop.",
		"Popular size with wholesalers in China and Taiwan.",
		"Orders dip in January and February; book early for spring.",
		"Drum-circle and school grade.",
		"可供应非洲鼓，支持定制图案。",
		"ジャンベ、手彫り、ヤギ革。",
	}
)

// Koi vocabulary.
var (
	koiVarieties = []string{"Kohaku", "Kohaku", "Taisho Sanke", "Showa Sanshoku", "Shiro Utsuri", "Yamabuki Ogon", "Platinum Ogon", "Chagoi", "Tancho Kohaku", "Asagi", "Shusui", "Butterfly koi", "Mixed varieties"}
	koiAges      = []string{"tosai", "nisai", "sansai", "yonsai"}
	koiGrades    = []string{"pond", "pond", "select", "show"}
	koiTitles    = []string{"%s %d-%d cm (%s)", "Koi %s %d-%d cm, %s", "Nishikigoi %s, %d-%d cm (%s)", "%s koi %d-%d cm, %s", "錦鯉 %s %d-%d cm (%s)"}
	koiSayings   = []string{
		"Quarantined on the farm before shipping; sent by air with a Barantin health certificate.",
		"Mud-pond grown for body and colour.",
		"Each fish photographed before sale.",
		"Buyer arranges the import permit where the destination needs one.",
		"Boxes of 10 to 20 fish, oxygen packed.",
		"錦鯉、インドネシア・ブリタル産。",
	}
)

// Plant vocabulary.
var (
	plantSpecies = []struct{ species, common string }{
		{"Monstera deliciosa", "monstera"}, {"Monstera deliciosa 'Albo Variegata'", "variegated monstera"},
		{"Monstera 'Thai Constellation'", "monstera"}, {"Monstera adansonii", "swiss cheese vine"},
		{"Philodendron erubescens 'Pink Princess'", "philodendron"}, {"Philodendron 'Birkin'", "philodendron"},
		{"Philodendron gloriosum", "philodendron"}, {"Aglaonema 'Red Sumatra'", "chinese evergreen"},
		{"Aglaonema pictum tricolor", "aglaonema"}, {"Anthurium crystallinum", "anthurium"},
		{"Anthurium andraeanum", "flamingo flower"}, {"Calathea orbifolia", "prayer plant"},
		{"Alocasia 'Frydek'", "elephant ear"}, {"Alocasia zebrina", "alocasia"},
		{"Sansevieria trifasciata", "snake plant"}, {"Caladium bicolor", "caladium"},
		{"Syngonium 'Pink Splash'", "arrowhead plant"}, {"Hoya kerrii", "wax plant"},
		{"Scindapsus pictus", "satin pothos"},
	}
	plantForms   = []string{"rooted cutting", "bare-root plant", "tissue-culture plantlet", "potted in coco chips", "rhizome cutting", "mature plant"}
	plantSayings = []string{
		"Washed bare-root and wrapped to meet US rules on soil.",
		"Phytosanitary certificate with every shipment.",
		"Grown under shade net in Blitar's highland climate.",
		"Leaf count and variegation as photographed.",
		"Tissue-culture stock, uniform size.",
		"モンステラなど観葉植物を輸出しています。",
		"观叶植物，龟背竹，出口美国。",
	}
)

// Sambal vocabulary.
var (
	sambalVariants = []string{"original", "medium", "extra hot", "mild", "with kencur", "with lime leaves", "less sugar"}
	sambalPacks    = []struct{ label, grams, unit string }{
		{"1 kg pouch", "1000", "kg"}, {"500 g pouch", "500", "kg"}, {"250 g jar", "250", "jar"},
		{"200 g jar", "200", "jar"}, {"5 kg pail", "5000", "kg"}, {"100 g sachet", "100", "pouch"},
	}
	sambalTitles  = []string{"Sambal pecel %s, %s", "Bumbu pecel %s, %s", "Peanut sauce (sambal pecel) %s, %s", "Sambel pecel Blitar %s, %s"}
	sambalSayings = []string{
		"Peanut-chilli paste for pecel; dissolve in hot water before use. Contains peanuts.",
		"Labelled in English and Chinese with the peanut allergen declared.",
		"Sent by air parcel; small lots welcome.",
		"Home recipe, no preservatives.",
		"花生辣酱，印尼风味。",
	}
)

// Handicraft vocabulary.
var (
	craftItems = []struct{ title, material, hs string }{
		{"Woven bamboo storage baskets, set of 3", "bamboo", "460211"},
		{"Bamboo pendant lamp shade", "bamboo", "460211"},
		{"Coconut-shell bowls, polished", "coconut shell", "960200"},
		{"Coconut-shell spoons", "coconut shell", "960200"},
		{"Mini djembe souvenir", "mahogany", "442090"},
		{"Carved wooden mask", "mahogany", "442090"},
		{"Pandan leaf woven bag", "pandan", "460219"},
		{"Rattan tray", "rattan", "460219"},
	}
	craftSayings = []string{
		"Handmade by home workers; natural finish.",
		"Mixed lots consolidated with other Blitar crafts.",
		"Sizes and colours to order.",
		"手工艺品，竹制品。",
	}
)
