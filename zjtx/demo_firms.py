"""The demo register's fictional enterprises: names, USCCs, districts, industries, products, websites, summaries.

Every name, code and product is invented (websites under the reserved .example domain); demo.py gives them a
history. One `random.Random` drives every choice, so a seed gives the same enterprises.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from stdnum.cn import uscc as uscc_code

DISTRICT_WEIGHTS = {
    "120116": 30, "120111": 11, "120110": 9, "120112": 8, "120113": 8, "120114": 8, "120115": 4, "120118": 4,
    "120104": 3, "120103": 2.5, "120117": 2.5, "120119": 2, "120102": 1.5, "120105": 1.5, "120101": 1, "120106": 1,
}
ZONE_SHARE = {"120116": 0.65, "120114": 0.3}  # firms recommended by a zone of their district, not the district
ZONE_WEIGHTS = {"120116-teda": 35, "120116-hitech": 30, "120116-ftz": 15, "120116-ecocity": 10, "120116-dongjiang": 10}
# Codes of abolished districts that older registrations keep, and the year the district was abolished.
OLD_DIVISIONS = {
    "120116": ((("120107", 5), ("120108", 2), ("120109", 3)), 2010),
    "120117": ((("120221", 1),), 2015),
    "120118": ((("120223", 1),), 2015),
    "120119": ((("120225", 1),), 2016),
}
MUNICIPAL_DIVISION, MUNICIPAL_SHARE = "120000", 0.07
INDUSTRY_WEIGHTS = {
    "13": 1.5, "14": 1.5, "15": 0.6, "17": 0.8, "18": 0.5, "19": 0.3, "20": 0.3, "21": 0.6, "22": 0.8, "23": 0.8,
    "24": 0.6, "25": 0.4, "26": 8, "27": 6, "28": 0.5, "29": 4, "30": 3, "31": 1.2, "32": 1.5, "33": 7, "34": 10,
    "35": 11, "36": 5, "37": 3, "38": 8, "39": 7, "40": 5, "41": 0.8, "42": 1, "43": 1,
    "63": 0.5, "64": 2, "65": 6, "73": 1.5, "74": 3, "75": 2,
}
WEBSITE_SHARE, PRODUCTS_SHARE = 0.6, 0.85

SYLLABLES = tuple(tuple(pair.split(":")) for pair in """
泰:tai 华:hua 鑫:xin 海:hai 津:jin 博:bo 瑞:rui 达:da 恒:heng 中:zhong 科:ke 源:yuan 德:de 信:xin 宏:hong 天:tian
新:xin 星:xing 联:lian 盛:sheng 通:tong 创:chuang 益:yi 凯:kai 晟:sheng 昊:hao 锐:rui 睿:rui 航:hang 诺:nuo 嘉:jia
安:an 康:kang 力:li 正:zheng 弘:hong 远:yuan 智:zhi 拓:tuo 邦:bang 奥:ao 美:mei 普:pu 森:sen 亿:yi 金:jin 宇:yu
龙:long 辰:chen 昌:chang 峰:feng 捷:jie 威:wei 晶:jing 汇:hui 鼎:ding 铭:ming 浩:hao 润:run 泽:ze 格:ge 维:wei
迈:mai 赛:sai 乐:le 蓝:lan 清:qing 东:dong 帆:fan 骏:jun 腾:teng 飞:fei 扬:yang 耀:yao 立:li 成:cheng 和:he
兴:xing 富:fu 旭:xu 光:guang 明:ming 思:si 英:ying 杰:jie 伟:wei 丰:feng 利:li 优:you 精:jing 佳:jia 百:bai
万:wan 众:zhong 合:he 宝:bao 隆:long 鸿:hong 全:quan 宁:ning 永:yong 长:chang 高:gao 凌:ling 云:yun 峻:jun
朗:lang 钧:jun 琦:qi 璟:jing 翔:xiang 烨:ye 澜:lan 川:chuan 渤:bo 滨:bin 港:gang 沃:wo 尚:shang 景:jing 泓:hong
冠:guan 卓:zhuo 越:yue 融:rong 致:zhi 恩:en 悦:yue 舜:shun 禾:he 林:lin 晨:chen 启:qi 辉:hui 曜:yao 钛:tai
铂:bo 硕:shuo 臻:zhen 弈:yi 逸:yi 毅:yi 坤:kun 乾:qian 圣:sheng
""".split())
BRAND_LETTERS = "ABCDEFGHJKLMNPRSTWXYZ"
LETTER_BRAND_SHARE = 0.03
# How registered names are built, with weights; {b} brand, {w} industry word. A few lists keep half-width brackets.
NAME_FORMS, NAME_FORM_WEIGHTS = zip(
    ("天津{b}{w}有限公司", 40), ("天津市{b}{w}有限公司", 18), ("天津{b}{w}股份有限公司", 10),
    ("{b}（天津）{w}有限公司", 14), ("天津{b}科技有限公司", 8), ("天津{b}{w}集团有限公司", 2),
    ("天津市{b}{w}股份有限公司", 4), ("{b}(天津){w}有限公司", 1),
)
NAME_FORM_WEIGHTS = tuple(accumulate(NAME_FORM_WEIGHTS))


@dataclass(frozen=True)
class Specialty:
    """What a kind of firm is called, makes and serves: the words of its name, summary and products."""

    words: tuple[str, ...]
    domain: str
    products: tuple[str, ...]
    category: str
    uses: tuple[str, ...]
    traits: tuple[str, ...]
    qualifiers: tuple[str, ...]
    tag: str  # for website addresses
    service: bool  # offers services rather than goods
    models: bool  # products carry model numbers


# industry divisions | name words | domain | products | category | uses | traits | qualifiers | site tag | flags
SPECIALTY_TABLE = """
13,14 | 食品 食品科技 调味品 | 调味品和方便食品 | 复合调味料 速冻调理食品 酱卤制品 方便菜肴 | 食品 | 餐饮连锁 商超零售 中央厨房 电商渠道 | 风味稳定、口感地道 工艺标准化、保质期长 | 低盐 即食 零添加 | food |
13,14 | 生物科技 健康科技 食品配料 | 功能性食品配料 | 益生菌固体饮料 膳食纤维粉 功能性低聚糖 天然色素 | 食品配料 | 乳制品 烘焙食品 保健食品 饮料 | 纯度高、溶解性好 天然来源、安全稳定 | 高纯 复合 | bio |
13 | 农业科技 粮油 农产品 | 粮油及农副食品加工 | 高油酸花生油 杂粮挂面 冻干果蔬 宠物食品 | 食品 | 家庭消费 商超零售 出口贸易 食品加工 | 原料可追溯、品质稳定 营养均衡、绿色安全 | 有机 低脂 | agri |
15 | 饮料 饮品 | 饮料 | 天然矿泉水 果蔬汁饮料 植物蛋白饮料 茶饮料 | 饮料 | 商超零售 餐饮连锁 电商渠道 便利店 | 品质稳定、风味纯正 配方天然、口感清爽 | 无糖 低糖 冷萃 | drink |
15 | 茶业 酒业 | 精制茶和酒类 | 精制红茶 茉莉花茶 精酿啤酒 果酒 | 茶酒 | 商超零售 餐饮连锁 礼品市场 出口贸易 | 工艺传统、风味醇正 原料优选、品质稳定 | 有机 低醇 | tea |
17 | 无纺布制品 新型纺织材料 纺织科技 | 非织造及产业用纺织品 | 医用无纺布 高强工业用布 过滤材料 土工布 | 纺织材料 | 医疗防护 环保除尘 水利工程 汽车内饰 | 强度高、均匀性好 过滤效率高、阻力低 | 抗菌 高强 可降解 | tex |
17 | 纺织 面料 | 功能性面料 | 阻燃面料 汽车内饰面料 抗菌面料 涂层织物 | 纺织材料 | 汽车内饰 工业安全 家纺 户外运动 | 透气舒适、耐洗涤 阻燃抗静电、色牢度高 | 环保 功能性 | fabric |
18,19 | 服饰 制衣 防护用品 | 功能性服装与防护用品 | 功能性防护服 阻燃工作服 安全防护鞋 医用防护服 | 服装服饰 | 工业安全 医疗防护 消防应急 户外运动 | 防护等级高、穿着舒适 轻便透气、耐磨耐用 | 轻量化 多功能 | wear |
20,21 | 家具 办公家具 | 办公及公共空间家具 | 办公家具系统 钢制文件柜 智能升降桌 实验室家具 | 家居 | 办公空间 学校 实验室 酒店工程 | 环保安全、结构稳固 造型简洁、安装便捷 | 环保型 模块化 | office |
20,21 | 木业 家居科技 | 木制品和定制家居 | 实木复合地板 定制衣柜 木门 整体橱柜 | 家居 | 住宅装修 酒店工程 公寓 出口贸易 | 环保安全、纹理自然 尺寸稳定、耐磨防潮 | 环保型 定制 | home |
22 | 包装 包装科技 包装材料 | 绿色包装 | 重型瓦楞纸箱 纸浆模塑制品 可降解包装袋 蜂窝纸板 | 包装材料 | 电商物流 食品饮料 电子产品 家电 | 强度高、可回收 缓冲性好、轻量环保 | 环保 高强度 防潮 | pack |
22,23 | 印务 印刷 纸业 | 包装印刷 | 防伪标签 精品包装盒 不干胶标签 食品级纸杯原纸 | 包装印刷 | 食品饮料 医药 日化 电子产品 | 印刷精美、防伪可靠 色彩稳定、交付快 | 环保 可追溯 | print |
24 | 体育用品 健身器材 | 体育健身器材 | 商用健身器材 智能跑步机 乒乓球拍 篮球架 | 文体用品 | 健身房 学校 家庭 体育赛事 | 安全耐用、手感舒适 结构稳固、维护简便 | 专业级 折叠式 竞赛级 | sport | model
24 | 工艺品 文体用品 | 工艺美术和文教用品 | 工艺礼品 教学仪器 电子乐器 文创用品 | 文体用品 | 学校 文旅景区 礼品市场 家庭 | 设计新颖、做工精细 寓意吉祥、品质上乘 | 定制 | craft |
25 | 石化科技 能源科技 | 特种油品 | 特种润滑油 沥青改性剂 生物柴油 工业白油 | 能源化工 | 机械制造 交通运输 道路工程 冶金 | 指标稳定、杂质少 性能可靠、绿色低碳 | 低硫 合成型 | oil |
25 | 炭素 碳材料 | 碳素材料 | 针状焦 高纯石墨 等静压石墨 石墨电极 | 能源化工 | 新能源电池 冶金 光伏 半导体 | 纯度高、结构致密 导电性好、耐高温 | 高纯 | carbon |
26 | 涂料 化工 化学科技 | 工业涂料和胶粘剂 | 水性工业涂料 重防腐涂料 聚氨酯胶粘剂 环氧地坪涂料 | 精细化工 | 汽车制造 船舶制造 钢结构 工业厂房 | 附着力强、耐候性好 低挥发、环保安全 | 水性 环保型 耐高温 | coating |
26 | 精细化工 化学 新材料 | 电子化学品与电池材料 | 电子级双氧水 光刻胶配套试剂 高纯电子气体 锂电池电解液 | 新材料 | 半导体 显示面板 新能源电池 光伏 | 纯度高、批次稳定 杂质含量低、供应稳定 | 高纯 电子级 | chem |
26 | 催化剂 化工 环保材料 | 催化材料与水处理剂 | 分子筛催化剂 脱硝催化剂 水处理剂 吸附剂 | 精细化工 | 石油化工 燃煤电厂 水处理 化工园区 | 活性高、选择性好 寿命长、再生性好 | 高效 环保型 | cat |
26 | 高分子材料 新材料 | 高分子与特种化学品 | 特种表面活性剂 高吸水树脂 有机硅材料 无卤阻燃剂 | 新材料 | 日化 纺织 电子 建材 | 性能稳定、适用面广 绿色环保、添加量少 | 高性能 环保型 | polymer |
28 | 化纤 纤维材料 新材料 | 高性能纤维 | 高性能聚酰胺纤维 芳纶纤维 超高分子量聚乙烯纤维 再生涤纶短纤 | 新材料 | 防护装备 绳缆 纺织 复合材料 | 强度高、模量高 耐高温、耐化学腐蚀 | 高强 阻燃 | fiber |
27 | 药业 制药 医药科技 | 化学药制剂和原料药 | 缓释片剂 注射用冻干粉针 原料药 口服溶液 | 化学药 | 医院临床 基层医疗 零售药店 | 疗效确切、质量可控 工艺稳定、质量标准高 | | pharm |
27 | 生物科技 生物技术 生物医药 | 生物药和体外诊断试剂 | 体外诊断试剂盒 单克隆抗体 重组蛋白 核酸检测试剂 | 生物医药 | 医院检验科 疾病检测 科研院所 第三方实验室 | 灵敏度高、特异性强 批间差异小、稳定性好 | 快速 高通量 | bio |
27 | 中药 药业 健康科技 | 中药饮片和中成药 | 中药配方颗粒 中药饮片 中成药胶囊 植物提取物 | 中药 | 中医院 基层医疗 零售药店 保健食品 | 道地药材、质量可控 工艺传统与现代结合 | 道地 | tcm |
27 | 动物药业 生物制品 | 兽用生物制品 | 兽用疫苗 兽用诊断试剂 饲料添加剂 | 动物保健 | 规模化养殖场 宠物医院 畜牧站 | 免疫效果好、安全性高 检测快速、结果准确 | 高效 | vet |
27 | 医疗用品 卫生材料 | 医用敷料和卫生材料 | 医用敷料 创面修复敷料 一次性手术包 医用棉签 | 医用耗材 | 医院临床 家庭护理 社区卫生 | 吸收性好、低致敏 无菌包装、使用便捷 | 抗菌 一次性 | medical |
29 | 橡胶制品 橡塑 密封科技 | 橡胶密封与减震制品 | 汽车密封条 橡胶减震件 氟橡胶密封件 耐热输送带 | 橡塑制品 | 汽车 轨道交通 工程机械 矿山 | 耐老化、密封性好 耐油耐温、寿命长 | 耐候 耐油 | rubber | model
29 | 塑料制品 塑胶 塑业 高分子材料 | 工程塑料与塑料制品 | 改性工程塑料 燃气用聚乙烯管材 塑料物流周转箱 医用导管 | 橡塑制品 | 家电 燃气管网 物流仓储 医疗器械 | 强度高、重量轻 耐腐蚀、易加工 | 阻燃 轻量化 | plastic |
30 | 建材 新型建材 建筑科技 | 新型建材 | 混凝土外加剂 岩棉保温板 装配式预制构件 高分子防水卷材 | 建材 | 建筑工程 市政道路 桥梁 地下管廊 | 强度高、施工便捷 保温隔热、防火 | 高性能 节能 | jc |
30 | 陶瓷 耐火材料 新材料 | 特种陶瓷和耐火材料 | 碳化硅陶瓷 定形耐火制品 氧化铝陶瓷基板 陶瓷膜 | 新材料 | 冶金 电子 化工 环保 | 耐高温、耐磨损 绝缘性好、热稳定性高 | 高纯 耐高温 | ceramic |
30 | 玻璃 玻璃科技 | 特种玻璃和玻璃纤维 | 特种玻璃 光伏玻璃 玻璃纤维制品 中空玻璃 | 建材 | 光伏 建筑幕墙 电子显示 风电叶片 | 透光率高、强度好 耐候性好、节能 | 超薄 低辐射 | glass |
31 | 钢管 特钢 金属材料 | 钢管和特种钢材 | 无缝钢管 冷轧精密带钢 镀锌钢板 特种钢棒 | 金属材料 | 石油管道 汽车 建筑 机械制造 | 强度高、尺寸精确 组织均匀、性能稳定 | 高强度 精密 薄壁 | steel |
32 | 铝业 铜业 合金材料 金属科技 | 有色金属材料 | 铝合金型材 铜合金线材 钛合金棒材 高温合金锻件 | 金属材料 | 航空航天 电力 汽车轻量化 电子 | 强度高、重量轻 耐腐蚀、导电性好 | 高强度 精密 | alloy |
33 | 紧固件 五金 金属制品 | 紧固件和五金件 | 高强度紧固件 不锈钢法兰 金属波纹管 五金冲压件 | 金属制品 | 风电装备 汽车 石油管道 建筑 | 精度高、一致性好 耐腐蚀、强度高 | 高强度 精密 | fastener | model
33 | 精密锻造 精密铸造 金属科技 | 精密锻件和铸件 | 精密锻件 精密铸件 风电塔筒法兰 铝合金压铸件 | 金属制品 | 风电装备 工程机械 汽车 轨道交通 | 组织致密、强度高 尺寸精确、加工余量小 | 大型 精密 | forge |
33 | 钢结构 金属结构 | 钢结构 | 钢结构件 钢结构桥梁构件 重型钢结构厂房 空间网架结构 | 金属制品 | 桥梁建筑 工业厂房 会展场馆 港口 | 承载力强、施工周期短 防腐性能好、可回收 | 重型 装配式 | gjg |
33 | 焊接材料 焊材 | 焊接材料 | 药芯焊丝 不锈钢焊条 埋弧焊丝 烧结焊剂 | 金属制品 | 船舶制造 压力容器 钢结构 管道工程 | 焊接工艺性好、飞溅小 力学性能稳定 | 低飞溅 高韧性 | weld |
34 | 精密机械 传动科技 | 精密传动部件 | 精密行星减速机 谐波减速器 机器人关节模组 数控机床主轴 | 通用设备 | 工业机器人 数控机床 自动化产线 | 精度高、背隙小 结构紧凑、运行平稳 | 高精度 大扭矩 | drive | model
34 | 液压科技 液压 流体设备 | 液压与气动元件 | 伺服液压系统 液压油缸 螺杆空气压缩机 电液比例阀 | 通用设备 | 工程机械 冶金 港口机械 注塑机 | 响应快、控制精确 能耗低、效率高 | 节能型 高压 | hydraulic | model
34 | 泵业 阀门 流体控制 | 工业泵阀 | 多级离心泵 工业调节阀 高温高压截止阀 磁力驱动泵 | 通用设备 | 石油化工 电力 市政供水 冶金 | 密封可靠、运行平稳 效率高、寿命长 | 节能型 耐腐蚀 | valve | model
34 | 轴承 精密轴承 | 精密轴承 | 高速精密轴承 风电主轴轴承 交叉滚子轴承 关节轴承 | 通用设备 | 风电装备 数控机床 工业机器人 轨道交通 | 精度高、噪声低 承载能力强、寿命长 | 高速 大型 | bearing | model
34 | 数控机床 机床 智能装备 | 数控机床 | 数控车床 立式加工中心 数控磨床 五轴联动加工中心 | 通用设备 | 汽车零部件 模具 航空航天 通用机械 | 刚性好、精度保持性好 加工效率高、操作简便 | 高速 精密 | cnc | model
35 | 自动化设备 智能装备 自动化科技 | 自动化生产线 | 自动化装配生产线 工业机器人工作站 视觉检测设备 智能仓储设备 | 专用设备 | 汽车制造 电子制造 电商物流 新能源电池 | 自动化程度高、运行稳定 柔性好、换型快 | 全自动 智能 柔性 | auto | model
35 | 医疗器械 医疗科技 | 医疗器械 | 医用超声诊断设备 手术吻合器 康复训练设备 医用内窥镜 | 医疗器械 | 医院 康复机构 基层医疗 体检中心 | 安全可靠、操作便捷 性能稳定、符合医疗器械标准 | 便携式 一次性 | med | model
35 | 环保设备 环境科技 | 环保治理装备 | 工业除尘设备 污水处理成套设备 有机废气治理设备 固废处理设备 | 节能环保 | 钢铁 化工 市政污水 工业园区 | 处理效率高、能耗低 运行稳定、占地少 | 高效 模块化 | env | model
35 | 石油装备 机械设备 | 石油钻采和海洋工程装备 | 石油钻采设备 井口装置 钻井泥浆泵 海洋平台设备 | 专用设备 | 油田开采 海洋工程 页岩气开发 | 耐高压、可靠性高 适应恶劣工况、维护方便 | 大功率 高压 | petro | model
35 | 包装机械 食品机械 | 食品与包装机械 | 食品包装机械 灌装生产线 杀菌设备 码垛机器人 | 专用设备 | 食品饮料 乳制品 医药 日化 | 速度快、精度高 卫生标准高、清洗方便 | 高速 全自动 | pack | model
35 | 激光科技 智能装备 | 激光加工设备 | 激光切割设备 激光焊接设备 激光清洗设备 激光打标机 | 专用设备 | 钣金加工 汽车制造 新能源电池 航空航天 | 加工精度高、热影响小 效率高、运行成本低 | 高功率 智能 | laser | model
36 | 汽车零部件 汽车部件 汽车配件 | 汽车底盘和车身零部件 | 汽车座椅骨架 通风制动盘 转向节 车灯总成 | 汽车零部件 | 整车制造 商用车 售后市场 | 轻量化、安全可靠 精度高、耐久性好 | 轻量化 高强度 | autoparts | model
36 | 汽车电子 汽车科技 | 汽车电子 | 汽车线束 车载控制器 电池管理系统 车载摄像头 | 汽车零部件 | 新能源汽车 智能网联汽车 整车制造 | 集成度高、可靠性高 车规级品质、抗干扰 | 车规级 智能 | autoe | model
36 | 新能源汽车科技 车辆科技 | 新能源汽车核心部件 | 新能源汽车电驱系统 电池包壳体 电动空调压缩机 车载充电机 | 汽车零部件 | 新能源汽车 商用车 专用车 | 效率高、功率密度高 轻量化、安全可靠 | 高效 一体化 | ev | model
37 | 航空科技 航空部件 航天科技 | 航空航天零部件 | 航空复合材料构件 卫星结构件 航空标准件 机载线缆组件 | 航空航天 | 航空制造 航天工程 通用航空 | 轻量化、可靠性高 精度高、质量一致 | 轻量化 高可靠 | aero |
37 | 无人机科技 智能科技 | 工业无人机 | 工业级无人机 无人机飞控系统 无人机巡检系统 植保无人机 | 航空航天 | 电力巡检 农业植保 应急测绘 物流配送 | 续航长、抗风性好 自主飞行、操作简便 | 长航时 垂直起降 | uav | model
37 | 船舶设备 海洋装备 | 船舶与海洋工程设备 | 船用甲板机械 海洋浮标 船用舵机 水下机器人 | 船舶海工 | 船舶制造 海洋工程 港口航运 海洋监测 | 耐海水腐蚀、寿命长 安全可靠、维护便捷 | 大型 智能 | marine | model
37 | 轨道交通装备 轨道交通科技 | 轨道交通装备 | 轨道交通制动部件 列车车门系统 轨道减振器 车辆空调机组 | 轨道交通 | 城市轨道交通 高速铁路 重载铁路 | 安全冗余、可靠性高 减振降噪、维护简便 | 模块化 轻量化 | rail | model
38 | 电气 电气设备 电力科技 | 输配电设备 | 智能配电柜 高压开关设备 箱式变电站 电力监测终端 | 电气设备 | 电网 数据中心 工业园区 轨道交通 | 安全可靠、智能监测 损耗低、运维便捷 | 智能 环保型 | power | model
38 | 电池 新能源 储能科技 | 电池与储能设备 | 锂离子电池模组 储能变流器 光伏逆变器 直流充电桩 | 新能源 | 储能电站 新能源汽车 光伏电站 通信基站 | 能量密度高、循环寿命长 转换效率高、安全可靠 | 大功率 高效 | energy | model
38 | 电机 电机科技 | 电机 | 永磁同步电机 伺服电机 防爆电机 直线电机 | 电气设备 | 工业自动化 电动汽车 石油化工 风机水泵 | 效率高、噪声低 功率密度高、运行平稳 | 高效 大功率 | motor | model
38 | 电缆 线缆 | 特种电线电缆 | 特种电缆 光伏电缆 矿用电缆 耐高温电缆 | 电气设备 | 电网 光伏 矿山 船舶 | 耐候性好、寿命长 阻燃耐火、传输稳定 | 阻燃 柔性 | cable |
38 | 照明科技 光电科技 | 特种照明 | 发光二极管照明模组 智慧路灯 防爆灯具 植物生长灯 | 电气设备 | 市政道路 工业厂房 设施农业 隧道 | 光效高、寿命长 节能环保、智能调光 | 智能 节能型 | light | model
39 | 半导体 微电子 集成电路 | 半导体器件和芯片 | 功率半导体器件 传感器芯片 硅麦克风 射频芯片 | 电子信息 | 汽车电子 工业控制 消费电子 通信 | 集成度高、功耗低 可靠性高、国产替代 | 低功耗 车规级 | chip | model
39 | 通信技术 光电 | 通信与光电器件 | 光纤通信模块 射频天线 工业交换机 小基站设备 | 电子信息 | 通信基站 数据中心 工业互联网 轨道交通 | 传输稳定、抗干扰 速率高、时延低 | 高速 工业级 | comm | model
39 | 电子 电子科技 电子技术 | 电子元器件和电子组件 | 高密度印制电路板 工业控制主板 液晶显示模组 电子变压器 | 电子信息 | 消费电子 工业控制 汽车电子 医疗设备 | 品质稳定、交付快 国产化、可定制 | 高密度 工业级 | dz | model
40 | 分析仪器 仪器 环境科技 | 分析仪器 | 在线水质分析仪 光谱分析仪 气相色谱仪 烟气排放连续监测系统 | 仪器仪表 | 环境监测 石油化工 实验室 水务 | 测量精确、响应快 稳定可靠、免维护 | 在线式 便携式 | analyzer | model
40 | 仪表 测控技术 自动化仪表 | 工业自动化仪表 | 压力变送器 超声波流量计 智能电能表 雷达物位计 | 仪器仪表 | 石油化工 智能电网 水务 冶金 | 量程宽、抗干扰 精度高、长期稳定 | 智能 高精度 | meter | model
40 | 传感技术 检测技术 | 传感器与检测仪器 | 气体检测仪 温湿度传感器 工业内窥镜 振动监测传感器 | 仪器仪表 | 安全生产 智能楼宇 工业设备 冷链物流 | 灵敏度高、响应快 体积小、功耗低 | 无线 便携式 | sensor | model
40 | 光学仪器 光电科技 | 光学仪器 | 光学镜头 激光测距仪 红外热像仪 精密光学元件 | 仪器仪表 | 安防监控 测绘 工业检测 科研 | 成像清晰、精度高 环境适应性强 | 高清 | optics | model
41 | 增材制造 智能制造 科技 | 增材制造 | 金属三维打印件 增材制造耗材 三维打印设备 | 其他制品 | 航空航天 模具 医疗 | 成型快、精度高 个性化定制、交付快 | 定制 高精度 | am |
42 | 再生资源 资源循环科技 资源综合利用 环保科技 | 废弃资源综合利用 | 再生塑料颗粒 退役动力电池梯次利用产品 再生铝锭 废催化剂贵金属回收 | 节能环保 | 塑料制品 储能 铸造 化工 | 回收率高、品质稳定 低碳环保、成本低 | 高品质 低碳 | eco |
43 | 机电工程 设备维修 装备技术服务 | 机械设备维修与再制造 | 大型机组维修服务 数控机床再制造 风电齿轮箱维修 工业泵阀检修 | 技术服务 | 电力 冶金 风电场 石化 | 响应快、质量可靠 恢复设备性能、降低成本 | 快速 全寿命 | repair | service
63 | 通信 卫星科技 网络技术 | 卫星通信与行业专网服务 | 卫星通信终端服务 物联网专网服务 应急通信系统 北斗定位服务 | 信息服务 | 应急管理 海洋渔业 能源 交通 | 覆盖广、链路稳定 部署快、安全可控 | 一体化 高通量 | tel | service
64 | 网络科技 互联网科技 云计算科技 信息服务 | 工业互联网与数据服务 | 工业互联网平台 跨境电商服务平台 云数据服务 供应链协同平台 | 软件与信息服务 | 制造企业 外贸企业 商贸流通 物流 | 部署灵活、扩展性强 数据安全、响应快 | 云端 一站式 | net | service
65 | 软件 软件技术 信息技术 | 工业软件 | 制造执行系统 企业资源计划系统 产品生命周期管理系统 设备运维管理平台 | 软件与信息服务 | 制造企业 能源企业 汽车零部件企业 | 自主可控、安全可靠 架构开放、易于集成 | 云原生 国产化 | soft | service
65 | 数字科技 智能科技 信息科技 | 智慧城市解决方案 | 智慧园区管理平台 智能交通信号控制系统 智慧水务平台 数字孪生平台 | 软件与信息服务 | 政务服务 智慧城市 交通管理 水务 | 部署灵活、运维便捷 数据融合、可视化强 | 智能 轻量化 | smart | service
65 | 网络安全技术 信息安全 | 网络与数据安全 | 网络安全态势感知平台 数据安全网关 工控安全防护系统 商用密码应用系统 | 软件与信息服务 | 政务服务 金融机构 能源电力 工业企业 | 自主可控、安全可靠 威胁发现快、处置及时 | 国产化 | sec | service
65 | 数据技术 数据科技 | 数据服务 | 数据中台 智能客服系统 港口智能调度系统 供应链数据平台 | 软件与信息服务 | 港口物流 金融机构 商贸流通 | 数据实时、扩展性强 部署灵活、响应快 | 智能 | data | service
73 | 生物技术 医药研发 | 医药研发外包 | 药物研发外包服务 动物实验服务 工艺开发服务 临床前研究服务 | 研发服务 | 制药企业 生物技术企业 高校院所 | 周期短、数据可靠 平台完备、质量体系健全 | 一站式 全流程 | rd | service
73 | 新材料技术 科技发展 | 新材料研发与中试 | 新材料中试服务 材料表征分析 工艺开发服务 | 研发服务 | 新材料企业 高校院所 制造企业 | 设备齐全、数据可靠 转化快、成本低 | 一站式 定制化 | material | service
74 | 检测技术 检验检测 认证技术 | 检验检测 | 第三方检测服务 无损检测服务 计量校准服务 环境监测服务 | 技术服务 | 制造企业 特种设备 环保 建筑工程 | 资质齐全、报告权威 响应快、数据准确 | 一站式 | test | service
74 | 工程技术 工程设计 测绘技术 | 工程技术与设计 | 工程勘察设计 工业设计服务 三维激光测绘 工程咨询服务 | 技术服务 | 建筑工程 市政 工业园区 交通 | 方案专业、交付及时 技术团队经验丰富 | 全过程 | design | service
75 | 节能科技 环保科技 | 节能环保技术推广 | 合同能源管理服务 节能改造方案 余热回收利用方案 碳排放核算服务 | 科技服务 | 工业企业 公共建筑 园区 数据中心 | 节能效果显著、投资回收期短 方案成熟、实施便捷 | 整体 定制化 | green | service
75 | 科技发展 技术服务 | 科技成果转化服务 | 技术转移服务 科技成果评价服务 知识产权运营服务 技术咨询服务 | 科技服务 | 中小企业 高校院所 科技园区 | 渠道广、服务专业 流程规范、响应快 | 一站式 | tt | service
"""


def _specialties(table: str) -> dict[str, tuple[Specialty, ...]]:
    by_industry: dict[str, list[Specialty]] = {}
    for line in table.strip().splitlines():
        codes, words, domain, products, category, uses, traits, qualifiers, tag, flags = (
            cell.strip() for cell in line.split("|"))
        specialty = Specialty(tuple(words.split()), domain, tuple(products.split()), category, tuple(uses.split()),
                              tuple(traits.split()), tuple(qualifiers.split()), tag, flags == "service",
                              flags == "model")
        for code in codes.split(","):
            by_industry.setdefault(code, []).append(specialty)
    return {code: tuple(specialties) for code, specialties in by_industry.items()}


SPECIALTIES = _specialties(SPECIALTY_TABLE)

USCC_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"  # letters GB 32100 allows
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714


@dataclass
class Firm:
    uscc: str
    name: str
    district_code: str
    recommended_by: str
    industry_code: str
    section: str
    main_products: str
    website: str
    summary: str
    products: list[dict[str, str]]


# Enterprises ---------------------------------------------------------------------------------------------------


def make_firms(count: int, districts: list, industries: dict, rng: random.Random) -> list[Firm]:
    statutory = [d for d in districts if d.kind == "district"]
    district_weights = list(accumulate(DISTRICT_WEIGHTS.get(d.district_code, 1) for d in statutory))
    zones = {}
    for district in statutory:
        zone_list = [z for z in districts if z.kind == "zone" and z.parent_code == district.district_code]
        zones[district.district_code] = (zone_list, list(accumulate(ZONE_WEIGHTS.get(z.district_code, 1)
                                                                    for z in zone_list)))
    place_names = {d.district_code: d.name_zh for d in districts}
    codes = [code for code in industries if code in SPECIALTIES and INDUSTRY_WEIGHTS.get(code)]
    industry_weights = list(accumulate(INDUSTRY_WEIGHTS[code] for code in codes))
    names: set[str] = set()
    codes_used: set[str] = set()
    sites: set[str] = set()
    firms = []
    for index in range(count):
        # Every district appears once the register is big enough to hold them all.
        if count >= len(statutory) and index < len(statutory):
            district = statutory[index]
        else:
            district = rng.choices(statutory, cum_weights=district_weights)[0]
        recommended_by = district.district_code
        zone_list, zone_weights = zones[district.district_code]
        if zone_list and rng.random() < ZONE_SHARE.get(district.district_code, 0):
            recommended_by = rng.choices(zone_list, cum_weights=zone_weights)[0].district_code
        industry_code = rng.choices(codes, cum_weights=industry_weights)[0]
        specialty = rng.choice(SPECIALTIES[industry_code])
        founded = rng.randint(1993, 2019)
        name, brand, syllables = _name(specialty, names, rng)
        uscc = _uscc(district.district_code, founded, codes_used, rng)
        products = _products(uscc, specialty, brand, syllables, rng) if rng.random() < PRODUCTS_SHARE else []
        main = [p["product_name"] for p in products] or rng.sample(specialty.products, 2)
        firms.append(Firm(
            uscc=uscc, name=name, district_code=district.district_code, recommended_by=recommended_by,
            industry_code=industry_code, section=industries[industry_code].section,
            main_products="、".join(main),
            website=_website("".join(syllables), specialty, founded, sites) if rng.random() < WEBSITE_SHARE else "",
            summary=_summary(specialty, founded, place_names[recommended_by], main[0], rng),
            products=products,
        ))
    return firms


def _name(specialty: Specialty, taken: set[str], rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    """A registered name unique in the register (brackets and spaces aside), its brand, the brand's syllables in
    Latin letters."""
    for attempt in range(100):
        if rng.random() < LETTER_BRAND_SHARE:
            brand = "".join(rng.choices(BRAND_LETTERS, k=rng.choice((2, 3, 3))))
            latin = tuple(brand.lower())
        else:
            # Two syllables as most brands have; three once two keep colliding, which stays unique at any size.
            syllables = rng.sample(SYLLABLES, 2 if attempt < 8 and rng.random() < 0.9 else 3)
            brand = "".join(char for char, _ in syllables)
            latin = tuple(pinyin for _, pinyin in syllables)
        name = rng.choices(NAME_FORMS, cum_weights=NAME_FORM_WEIGHTS)[0].format(b=brand, w=rng.choice(specialty.words))
        key = name.replace("（", "(").replace("）", ")").replace(" ", "")
        if key not in taken:
            taken.add(key)
            return name, brand, latin
    raise AssertionError("no free company name after 100 attempts")


def _uscc(district_code: str, founded: int, taken: set[str], rng: random.Random) -> str:
    """A valid GB 32100 code: 91, the registering division, a GB 11714 organisation code, the check character."""
    while True:
        division = district_code
        old = OLD_DIVISIONS.get(district_code)
        if rng.random() < MUNICIPAL_SHARE:
            division = MUNICIPAL_DIVISION
        elif old and founded < old[1] and rng.random() < 0.5:
            codes, weights = zip(*old[0])
            division = rng.choices(codes, weights=weights)[0]
        if founded >= 2016:  # codes issued since the 2015 reform start with MA
            series = "MA05" if founded < 2018 else "MA06"
            body = series + "".join(rng.choice(USCC_LETTERS) if rng.random() < 0.2 else str(rng.randrange(10))
                                    for _ in range(4))
        else:
            body = f"{rng.randint(1, 7)}{rng.randrange(10_000_000):07d}"
        first17 = "91" + division + body + _organisation_check(body)
        code = first17 + uscc_code.calc_check_digit(first17)
        if code not in taken:
            taken.add(code)
            return code


def _organisation_check(body: str) -> str:
    """GB 11714 check character of an eight-character organisation code body (letters count A=10 to Z=35)."""
    check = 11 - sum(int(char, 36) * weight for char, weight in zip(body, ORG_CODE_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _products(uscc: str, specialty: Specialty, brand: str, syllables: tuple[str, ...],
              rng: random.Random) -> list[dict[str, str]]:
    count = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
    products = []
    for base in rng.sample(specialty.products, count):
        style = rng.random()
        if style < 0.35 and specialty.qualifiers:
            qualifier = rng.choice(specialty.qualifiers)
            product_name = base if base.startswith(qualifier) else qualifier + base
        elif style < 0.6 and specialty.models:
            initials = "".join(syllable[0] for syllable in syllables).upper()
            product_name = f"{initials}{rng.randint(1, 90) * 10}型{base}"
        elif style < 0.5 and specialty.service:
            product_name = brand + base
        else:
            product_name = base
        first, second = rng.sample(specialty.uses, 2)
        products.append({
            "uscc": uscc, "product_name": product_name, "category": specialty.category,
            "description": f"主要应用于{first}、{second}等领域，{rng.choice(specialty.traits)}。",
        })
    return products


def _website(brand_latin: str, specialty: Specialty, founded: int, taken: set[str]) -> str:
    """https://www.<brand in pinyin>.example, or a variant of it; empty when every variant is taken.

    Fictional enterprises get addresses under the reserved domain .example (RFC 2606): a made-up .com.cn name
    can belong to a real company or site, and the register would then send readers to it."""
    for slug in (brand_latin, "tj" + brand_latin, brand_latin + specialty.tag, f"tj{brand_latin}{specialty.tag}",
                 f"{brand_latin}{founded}"):
        if slug not in taken:
            taken.add(slug)
            return f"https://www.{slug}.example"
    return ""


def _summary(specialty: Specialty, founded: int, place: str, main_product: str, rng: random.Random) -> str:
    first, second = rng.sample(specialty.uses, 2)
    if specialty.service:
        text = f"公司成立于{founded}年，位于{place}，专注于{specialty.domain}，主要服务{first}和{second}等行业。"
    else:
        text = f"公司成立于{founded}年，位于{place}，专注于{specialty.domain}的研发、生产和销售。"
    more = rng.random()
    if more < 0.2:
        verb = "已服务" if specialty.service else "广泛应用于"
        text += f"主导产品{main_product}{verb}{first}、{second}等领域。"
    elif more < 0.4:
        text += f"公司拥有发明专利{rng.randint(3, 60)}项，是国家高新技术企业。"
    elif more < 0.55:
        text += f"公司建有天津市企业技术中心，参与制定国家和行业标准{rng.randint(1, 12)}项。"
    elif more < 0.6 and not specialty.service:
        text += f"产品出口{rng.randint(5, 60)}个国家和地区。"
    return text


def firm_row(enterprise: Firm) -> dict[str, str]:
    return {
        "uscc": enterprise.uscc, "name": enterprise.name, "district_code": enterprise.district_code,
        "industry_code": enterprise.industry_code, "main_products": enterprise.main_products,
        "website": enterprise.website, "summary": enterprise.summary,
    }
